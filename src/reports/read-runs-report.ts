import { localToUtcConverter } from '../events/local-time.ts';
import type { LogFileRef } from '../logs/log-file-set.ts';
import { foldLogFilesInWorker } from '../logs/log-files-worker.ts';
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
 * runs the machine: on two cores, a busy year takes about the time of the slower half.
 */
export async function readRunsReportInWorker(files: readonly LogFileRef[], timeZone: string): Promise<{ report: RunsReport; summary: ReadLogFilesSummary }> {
  const monitor = new Monitor();
  const collector = new RunsReportCollector();
  const summary = await foldLogFilesInWorker(files, {
    timeZone,
    onEvents: (events) => {
      for (const event of events) collector.add(monitor.send(event));
    },
  });
  return { report: collector.report(monitor.context.run), summary };
}
