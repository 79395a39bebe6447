import { localToUtcConverter } from '../events/local-time.ts';
import type { LogFileRef } from '../logs/log-file-set.ts';
import { readLogFiles, type ReadLogFilesSummary } from '../logs/read-log-files.ts';
import { Monitor } from '../machines/monitor.ts';
import type { MonitorEvent } from '../machines/monitor-types.ts';
import { StepFolder } from '../machines/step-folding.ts';
import { RunsReportCollector, type RunsReport } from './runs-report.ts';

/** Log files → events → machine → runs, sessions and alerts, with no database. */
export function readRunsReport(files: readonly LogFileRef[], timeZone: string): { report: RunsReport; summary: ReadLogFilesSummary } {
  const monitor = new Monitor();
  const collector = new RunsReportCollector();
  const folder = new StepFolder();
  const batch: MonitorEvent[] = [];
  const summary = readLogFiles(files, {
    toUtc: localToUtcConverter(timeZone),
    onEvents: (events) => {
      for (const event of events) folder.push(event, batch);
      for (const event of batch) collector.add(monitor.send(event));
      batch.length = 0;
    },
  });
  folder.flush(batch);
  for (const event of batch) collector.add(monitor.send(event));
  return { report: collector.report(), summary };
}
