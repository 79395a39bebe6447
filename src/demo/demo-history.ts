import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localToUtcConverter } from '../events/local-time.ts';
import { listLogFiles } from '../logs/log-file-set.ts';
import type { EventStore } from '../store/event-store.ts';
import { importLogFiles } from '../store/import-log-files.ts';
import { writeSyntheticHistory } from '../synthetic/synthetic-history.ts';

const DAY_MS = 86_400_000;

/**
 * Weeks of generated lab logs (src/synthetic), imported as a lab imports its old logs, so the
 * charts and the history have something to show from the first minute. Only once: an instrument
 * that already has events keeps them. Returns how many days were imported (0 when none).
 */
export function importDemoHistory(store: EventStore, instrumentId: string, days: number, nowMs: number): number {
  if (days === 0 || store.instrumentStatus(instrumentId) !== null) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'attune-demo-history-'));
  try {
    // Ending yesterday: today belongs to the live instrument.
    const startDate = new Date(nowMs - days * DAY_MS).toISOString().slice(0, 10);
    writeSyntheticHistory(dir, { startDate, days, seed: 20240304, crashPerDay: 0.05 });
    importLogFiles(store, instrumentId, listLogFiles([dir]), { toUtc: localToUtcConverter('UTC') });
    return days;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
