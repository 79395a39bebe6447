import type { Command } from 'commander';
import { assertTimeZone, systemTimeZone } from '../events/local-time.ts';
import { queryInstrumentStates, type InstrumentStateView } from '../store/instrument-state-projection.ts';
import { asCliError, dbOption, withStore } from './store-options.ts';
import { localTimeText, textTable } from './text-table.ts';

interface StatusOptions {
  db: string;
  json?: boolean;
  timezone: string;
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("each instrument's status, as of the last event stored")
    .addOption(dbOption())
    .option('--json', 'print {"instruments": [{instrument_id, status, as_of, last_position}]} with UTC times')
    .option('--timezone <iana>', 'time zone to show times in', systemTimeZone())
    .action((options: StatusOptions) => {
      try {
        assertTimeZone(options.timezone);
      } catch (error) {
        throw asCliError(error);
      }
      const states = withStore(options.db, { create: false }, (store) => queryInstrumentStates(store.db));
      process.stdout.write(options.json ? `${JSON.stringify({ instruments: states }, null, 2)}\n` : statusText(states, options.timezone));
    });
}

function statusText(states: InstrumentStateView[], zone: string): string {
  if (states.length === 0) return 'No instruments yet: import logs first (attune-monitor import).\n';
  const table = textTable(
    ['instrument', 'state', 'what', 'since', 'last run', 'open alerts', 'as of'],
    states.map(({ instrument_id, status }) => [
      instrument_id,
      `${status.availability}, ${status.activity.replace('_', ' ')}`,
      status.summary,
      localTimeText(status.since, zone),
      status.lastRun === null ? '' : `${status.lastRun.procedure} ${status.lastRun.outcome ?? 'running'}`,
      String(status.openAlerts.length),
      localTimeText(status.asOf, zone),
    ]),
  );
  return `${table}\n(times in ${zone})\n`;
}
