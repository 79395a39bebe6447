import { localToUtcConverter } from '../../src/events/local-time.ts';
import { RunTimelineReader } from '../../src/estimates/run-timeline-reader.ts';
import type { RunTimeline } from '../../src/estimates/run-timeline.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';

/** Log files → events → machine → run timelines, through the core pipeline. */
export function readTimelines(paths: readonly string[], timeZone: string): RunTimeline[] {
  const reader = new RunTimelineReader();
  const closed: RunTimeline[] = [];
  readLogFiles(listLogFiles(paths), {
    toUtc: localToUtcConverter(timeZone),
    onEvents: (events) => {
      for (const event of events) reader.push(event, closed);
    },
    endNewest: true,
  });
  return reader.flush(closed);
}
