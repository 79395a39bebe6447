import { localToUtcConverter } from '../events/local-time.ts';
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
