import { Option } from 'commander';
import { InvalidTimeZoneError } from '../events/local-time.ts';
import { LogPathError } from '../logs/log-file-set.ts';
import { EventStore } from '../store/event-store.ts';
import { InvalidInstrumentIdError } from '../shared/instrument-id.ts';
import { StoreError } from '../store/store-errors.ts';
import { CliError } from './cli-errors.ts';

export const DEFAULT_DB_PATH = './data/attune-monitor.db';

export function dbOption(): Option {
  return new Option('--db <file>', 'the SQLite database of the event store').default(DEFAULT_DB_PATH);
}

/**
 * Opens the store for one command, runs `work`, always closes it. Errors the user can act on
 * (a locked or foreign database, a bad path, zone or instrument id) become CliErrors.
 */
export function withStore<T>(path: string, options: { create: boolean }, work: (store: EventStore) => T): T {
  let store: EventStore | undefined;
  try {
    store = EventStore.open(path, { create: options.create });
    return work(store);
  } catch (error) {
    throw asCliError(error);
  } finally {
    store?.close();
  }
}

/** The CliError for an error whose message is meant for the user; other errors are left as they are. */
export function asCliError(error: unknown): unknown {
  if (error instanceof StoreError || error instanceof LogPathError || error instanceof InvalidTimeZoneError || error instanceof InvalidInstrumentIdError) {
    return new CliError(error.message);
  }
  return error;
}
