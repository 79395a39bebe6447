import { describe, expect, it } from 'vitest';
import { replayTimelines } from '../../src/estimates/run-timeline-reader.ts';
import type { RunTimeline } from '../../src/estimates/run-timeline.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { LogEventReader } from '../../src/events/log-event-reader.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { isSystemLogName } from '../../src/parser/log-file-name.ts';
import { parseLogBytes } from '../../src/parser/log-parser.ts';
import type { SyntheticLogFile } from '../../src/synthetic/log-writer.ts';
import { generateSyntheticHistory } from '../../src/synthetic/synthetic-history.ts';

const WEEK = { startDate: '2024-03-04', days: 7, seed: 42, crashPerDay: 0.5 };

/** The files' events as an import reads them: every file has ended. */
function eventsOf(files: readonly SyntheticLogFile[]): { events: LogEvent[]; unparsed: number } {
  const events: LogEvent[] = [];
  let unparsed = 0;
  for (const file of files) {
    const bytes = Buffer.from(file.text, 'utf8');
    const reader = new LogEventReader(file.name, localToUtcConverter('UTC'));
    const parsed = parseLogBytes(file.name, bytes);
    unparsed += parsed.stats.unparsed;
    for (const line of parsed.lines) reader.read(line, events);
    events.push(...reader.end(bytes.length));
  }
  return { events, unparsed };
}

describe('generateSyntheticHistory', () => {
  const files = generateSyntheticHistory(WEEK);
  const { events, unparsed } = eventsOf(files);
  const runs = replayTimelines(events).closed;
  const kinds = (filter: (run: RunTimeline) => boolean) => runs.filter(filter).length;

  it('is the same, byte for byte, for the same seed, and differs for another', () => {
    expect(generateSyntheticHistory(WEEK)).toEqual(files);
    expect(generateSyntheticHistory({ ...WEEK, seed: 43 })).not.toEqual(files);
  });

  it('writes one System_*.log per launch, in launch order, in the fixture line format', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files.every((file) => isSystemLogName(file.name))).toBe(true);
    expect([...files.map((file) => file.name)].sort()).toEqual(files.map((file) => file.name));
    expect(files[0]!.text.split('\n')[0]).toMatch(/^2024-03-0\d \d\d:\d\d:\d\d\.\d{3},Info,,Application,POSTGRESQL: .*,41(32|39)$/);
    // Only a line a crash cut short may fail to read.
    expect(unparsed).toBeLessThanOrEqual(files.filter((file) => !file.text.endsWith('\n')).length);
  });

  it('holds the days the estimator learns from: every procedure, tubes and plate wells, waits, loops', () => {
    for (const procedure of ['Startup', 'Rinse', 'Acquisition', 'Shutdown']) expect(kinds((run) => run.procedure === procedure)).toBeGreaterThan(0);
    expect(kinds((run) => run.procedure === 'Acquisition' && run.well === null)).toBeGreaterThan(20);
    expect(kinds((run) => run.procedure === 'Acquisition' && run.well !== null)).toBeGreaterThan(20);
    expect(kinds((run) => run.waits.some((wait) => wait.to !== null && wait.to > wait.from))).toBeGreaterThan(10);
    const startup = runs.find((run) => run.procedure === 'Startup' && run.outcome === 'completed')!;
    expect(startup.steps.filter((step) => step.line === 11).length).toBeGreaterThanOrEqual(5);
    expect(runs.filter((run) => run.procedure === 'Acquisition').map((run) => Date.parse(run.endedAt!) - Date.parse(run.startedAt))).toSatisfy(
      (lengths: number[]) => Math.max(...lengths) > 3 * Math.min(...lengths),
    );
  });

  it('has things going wrong: failures, cancellations, and a crash that interrupts a run', () => {
    expect(kinds((run) => run.outcome === 'failed') + kinds((run) => run.outcome === 'cancelled')).toBeGreaterThan(0);
    expect(kinds((run) => run.outcome === 'interrupted')).toBeGreaterThan(0);
  });
});
