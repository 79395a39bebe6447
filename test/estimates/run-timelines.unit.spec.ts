import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateAt, estimateFromEvents } from '../../src/estimates/estimate-at.ts';
import { EstimatorHistory } from '../../src/estimates/estimator-history.ts';
import { RunTimelineCollector } from '../../src/estimates/run-timeline-collector.ts';
import { replayTimelines } from '../../src/estimates/run-timeline-reader.ts';
import type { RunTimeline } from '../../src/estimates/run-timeline.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { LogEventReader } from '../../src/events/log-event-reader.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import { toMonitorEvent } from '../../src/machines/step-folding.ts';
import { parseLogBytes } from '../../src/parser/log-parser.ts';

const NAME = 'System_2020-09-11_12-26-48.log';
const bytes = readFileSync(new URL(`../../fixtures/attune/${NAME}`, import.meta.url));

/** The fixture's events, as an import reads them (the file has ended). */
function fixtureEvents(): LogEvent[] {
  const reader = new LogEventReader(NAME, localToUtcConverter('UTC'));
  const events: LogEvent[] = [];
  for (const line of parseLogBytes(NAME, bytes).lines) reader.read(line, events);
  return [...events, ...reader.end(bytes.length)];
}

const at = (local: string) => `2020-09-11T${local}Z`;

describe('run timelines of the real fixture', () => {
  const events = fixtureEvents();
  const { closed, open } = replayTimelines(events);
  const byStart = (time: string): RunTimeline => {
    const found = closed.find((timeline) => timeline.startedAt === at(time));
    if (found === undefined) throw new Error(`no run started at ${time}`);
    return found;
  };

  it('has the runs the machine closed, with their outcomes', () => {
    expect(closed).toHaveLength(35);
    expect(open).toBeNull();
    expect(closed.filter((timeline) => timeline.source === 'inferred').map((timeline) => timeline.procedure)).toEqual(['Rinse', 'Rinse']);
    expect(closed.filter((timeline) => timeline.procedure === 'Calibration').map((timeline) => timeline.outcome)).toEqual(['unconfirmed', 'unconfirmed', 'unconfirmed']);
  });

  it('keeps every step in order, loops included, whatever function runs it', () => {
    const startup = byStart('12:30:07.648');
    expect(startup.steps).toHaveLength(56);
    expect(startup.steps.slice(0, 5).map((step) => step.line)).toEqual([1, 2, 3, 2, 3]);
    expect(startup.steps[startup.steps.length - 1]).toEqual({ function: 'Startup', line: 0, at: at('12:44:30.747') });
    const calibration = byStart('12:49:25.084');
    expect(calibration.steps[1]).toEqual({ function: 'Rinse', line: 2, at: at('12:49:43.356') });
    expect(calibration.endedAt).toBe(at('12:58:34.463'));
  });

  it('starts an inferred run with the step that opened it', () => {
    const inferred = closed.find((timeline) => timeline.source === 'inferred')!;
    expect(inferred.steps[0]).toEqual({ function: 'Rinse', line: 2, at: inferred.startedAt });
  });

  it('records a wait for the user from the request to the moment the user acted', () => {
    expect(byStart('14:38:59.948').waits).toEqual([{ from: at('14:39:00.254'), to: at('14:39:11.969') }]);
    expect(byStart('14:30:57.456').waits).toEqual([]);
  });

  it('gives the same timelines whether steps reach the machine folded or one by one', () => {
    const monitor = new Monitor();
    const collector = new RunTimelineCollector();
    const oneByOne: RunTimeline[] = [];
    for (const event of events) {
      const monitorEvent = toMonitorEvent(event);
      oneByOne.push(...collector.observe(event, monitorEvent === null ? [] : monitor.send(monitorEvent)));
    }
    expect(oneByOne).toEqual(closed);
  });
});

describe('estimateAt on the real fixture', () => {
  const events = fixtureEvents();
  const history = EstimatorHistory.from(replayTimelines(events).closed);

  it('estimates the run open at that moment from the runs that ended before it', () => {
    const estimate = estimateAt(history, events, at('14:53:20.000'));
    expect(estimate).toMatchObject({ procedure: 'Rinse', startedAt: at('14:52:48.315'), step: { function: 'Rinse', line: 14 } });
    if (estimate === null || estimate.estimatedEnd === null) throw new Error('expected an estimate');
    expect(estimate.comparedWith).toBe('Rinse');
    // The rinse (started after a stop, from line 9) really ended at 14:53:40.
    expect(Math.abs(Date.parse(estimate.estimatedEnd) - Date.parse(at('14:53:40.084')))).toBeLessThan(15_000);
  });

  it('ignores events after `at`', () => {
    const when = at('14:53:20.000');
    const before = events.filter((event) => event.at <= when);
    expect(estimateAt(history, before, when)).toEqual(estimateAt(history, events, when));
  });

  it('gives the same from the event stream alone, its past runs replayed with it', () => {
    const when = at('14:53:20.000');
    expect(estimateFromEvents(events, when)).toEqual(estimateAt(history, events, when));
    expect(estimateFromEvents(events, at('14:54:00.000'))).toBeNull();
  });

  it('says nothing runs between runs, and "no estimate" for a first of its kind', () => {
    expect(estimateAt(history, events, at('14:54:00.000'))).toBeNull();
    expect(estimateAt(history, events, at('12:35:00.000'))).toMatchObject({ procedure: 'Startup', estimatedEnd: null, basedOnRuns: 0, reason: 'short_history' });
  });
});
