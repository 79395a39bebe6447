import { assertTimeZone, localToUtcConverter } from '../events/local-time.ts';
import type { LogFileRef } from '../logs/log-file-set.ts';
import { readLogFiles, type ReadLogFilesSummary } from '../logs/read-log-files.ts';
import { Monitor } from '../machines/monitor.ts';
import { RunsReportCollector, type RunsReport } from './runs-report.ts';

/** Log files → events → machine → runs, sessions and alerts, with no database. */
export function readRunsReport(files: readonly LogFileRef[], timeZone: string): { report: RunsReport; summary: ReadLogFilesSummary } {
  const monitor = new Monitor();
  const collector = new RunsReportCollector();
  const summary = readLogFiles(files, {
    toUtc: localToUtcConverter(timeZone),
    onEvents: (events) => collector.add(monitor.feedBulk(events)),
  });
  collector.add(monitor.flushBulk());
  return { report: collector.report(monitor.context.run), summary };
}

/**
 * The same report, the files read and their events folded in a worker thread while this one
 * runs the machine.
 */
export async function readRunsReportInWorker(files: readonly LogFileRef[], timeZone: string): Promise<{ report: RunsReport; summary: ReadLogFilesSummary }> {
  const collector = new RunsReportCollector();
  let monitor: Monitor | undefined;
  const stop = new AbortController();
  // Imported here, so that the bundle keeps it in a chunk of its own: the worker loads that file
  // (see log-files-worker.ts), which then brings neither the machine nor XState.
  const { foldLogFilesInWorker } = await import('../logs/log-files-worker.ts');
  // Started first: what this thread does next (Intl's start-up for the zone, the machine) is done
  // while the reader thread starts. Its events arrive on later turns of the event loop.
  const reading = foldLogFilesInWorker(files, {
    timeZone,
    signal: stop.signal,
    onEvent: (event) => collector.add((monitor as Monitor).send(event)),
  });
  try {
    assertTimeZone(timeZone);
    monitor = new Monitor();
  } catch (error) {
    stop.abort();
    await reading.catch(() => undefined);
    throw error;
  }
  const summary = await reading;
  return { report: collector.report(monitor.context.run), summary };
}
