import { describe, expect, it } from 'vitest';
import type { Estimate } from '../../src/estimates/estimate.ts';
import { durationSeries, mondayOf } from '../../src/web/charts/duration-series.ts';
import { durationChart } from '../../src/web/shared/chart-geometry.ts';
import { countdown } from '../../src/web/shared/countdown.ts';
import { formatClock, formatDuration, formatShortDuration } from '../../src/web/shared/format.ts';
import { timelineLayout, type TimelineRun } from '../../src/web/shared/timeline-geometry.ts';

const utc = () => 0;
const ms = (iso: string) => Date.parse(iso);
const DAY = { dayStartMs: ms('2024-05-06T00:00:00Z'), dayEndMs: ms('2024-05-07T00:00:00Z') };

function run(id: string, instrument: string, start: string, end: string | null, outcome: string | null = 'completed', procedure = 'Rinse'): TimelineRun {
  return { runId: id, instrumentId: instrument, procedure, user: 'jsmith', outcome, startedAt: `2024-05-06T${start}Z`, endedAt: end === null ? null : `2024-05-06T${end}Z` };
}

describe('timeline geometry', () => {
  it('spans from the first run to now, places bars by time in their instrument’s lane, open runs reaching now', () => {
    const layout = timelineLayout([run('a', 'attune-1', '09:00:00', '10:00:00'), run('b', 'attune-2', '10:00:00', null, null, 'Acquisition')], {
      ...DAY,
      nowMs: ms('2024-05-06T11:00:00Z'),
      width: 1000,
      lanes: ['attune-1', 'attune-2'],
      offsetMs: utc,
    });
    // Two hours of runs, padded by 2 % each side.
    expect(layout.fromMs).toBe(ms('2024-05-06T08:57:36Z'));
    expect(layout.toMs).toBe(ms('2024-05-06T11:02:24Z'));
    const [a, b] = layout.bars;
    expect(a).toMatchObject({ lane: 0, outcome: 'completed', label: 'Rinse' });
    expect(b).toMatchObject({ lane: 1, outcome: 'open', label: 'Acquisition' });
    expect(a!.x).toBeCloseTo(1000 * (0.02 / 1.04));
    expect(a!.width).toBeCloseTo(1000 / 2.08);
    expect(b!.x + b!.width).toBeCloseTo(layout.nowX!);
    // Ticks on whole ten minutes at this width (at least 70 px apart).
    expect(layout.ticks.map((tick) => formatClock(tick.ms, utc))).toEqual(['09:00', '09:10', '09:20', '09:30', '09:40', '09:50', '10:00', '10:10', '10:20', '10:30', '10:40', '10:50', '11:00']);
  });

  it('keeps at least 20 minutes in view, a bar at least 2 px wide, and labels only bars they fit in', () => {
    const layout = timelineLayout([run('a', 'attune-1', '09:00:00', '09:00:01', 'failed', 'Performance Test')], { ...DAY, nowMs: ms('2024-05-06T09:00:02Z'), width: 600, lanes: ['attune-1'], offsetMs: utc });
    expect(layout.toMs - layout.fromMs).toBeGreaterThanOrEqual(20 * 60_000);
    expect(layout.bars[0]).toMatchObject({ width: 2, label: '', outcome: 'failed' });
  });

  it('puts ticks on the viewer’s whole hours', () => {
    const plusTwo = () => 2 * 3_600_000;
    const layout = timelineLayout([run('a', 'attune-1', '06:10:00', '12:20:00')], { ...DAY, nowMs: ms('2024-05-06T12:30:00Z'), width: 700, lanes: ['attune-1'], offsetMs: plusTwo });
    expect(layout.ticks.map((tick) => formatClock(tick.ms, plusTwo))).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00']);
  });
});

describe('duration series and chart', () => {
  const rows = [
    { procedure: 'Startup', startedAt: '2024-05-05T22:30:00.000Z', durationS: 900 },
    { procedure: 'Startup', startedAt: '2024-05-06T07:00:00.000Z', durationS: 600 },
    { procedure: 'Startup', startedAt: '2024-05-06T08:00:00.000Z', durationS: 700 },
    { procedure: 'Rinse', startedAt: '2024-05-06T08:00:00.000Z', durationS: 60 },
  ];

  it('groups by the viewer’s local day or week, median and p90 per bucket, the busiest procedure first', () => {
    expect(durationSeries(rows, 'day', 'UTC')).toEqual([
      { procedure: 'Startup', runs: 3, points: [{ start: '2024-05-05', runs: 1, medianS: 900, p90S: 900 }, { start: '2024-05-06', runs: 2, medianS: 650, p90S: 690 }] },
      { procedure: 'Rinse', runs: 1, points: [{ start: '2024-05-06', runs: 1, medianS: 60, p90S: 60 }] },
    ]);
    // 22:30 UTC is already the 6th in Berlin; the 5th is a Sunday, the 6th a Monday.
    expect(durationSeries(rows, 'day', 'Europe/Berlin')[0]?.points).toEqual([{ start: '2024-05-06', runs: 3, medianS: 700, p90S: 860 }]);
    expect(durationSeries(rows, 'week', 'UTC')[0]?.points.map((point) => point.start)).toEqual(['2024-04-29', '2024-05-06']);
    expect(mondayOf('2024-05-12')).toBe('2024-05-06');
  });

  it('draws the median under the p90 on a y axis from zero to a round value above the highest p90', () => {
    const geometry = durationChart(
      [
        { start: '2024-05-01', runs: 3, medianS: 600, p90S: 700 },
        { start: '2024-05-03', runs: 2, medianS: 650, p90S: 800 },
      ],
      { width: 300, height: 150, left: 40, bottom: 20, fromDate: '2024-05-01', toDate: '2024-05-05' },
    );
    expect(geometry.yTicks.map((tick) => tick.seconds)).toEqual([0, 300, 600, 900]);
    expect(geometry.dots.map((dot) => dot.x)).toEqual([40, 40 + (2 / 4) * 252]);
    for (const dot of geometry.dots) expect(dot.yMedian).toBeGreaterThan(dot.yP90);
    expect(geometry.medianPath.startsWith('M 40 ')).toBe(true);
    expect(geometry.bandPath.endsWith('Z')).toBe(true);
  });
});

describe('countdown', () => {
  const estimate: Estimate = {
    procedure: 'Startup',
    startedAt: '2024-05-06T09:00:00.000Z',
    step: null,
    estimatedEnd: '2024-05-06T09:20:00.000Z',
    p10End: '2024-05-06T09:14:00.000Z',
    p90End: '2024-05-06T09:28:00.000Z',
    basedOnRuns: 12,
    comparedWith: 'Startup',
  };
  const clock = (t: number, seconds: boolean) => (seconds ? new Date(t).toISOString().slice(11, 19) : formatClock(t, utc));

  it('counts down to the estimated end, in whole minutes, then says it is due, then late', () => {
    expect(countdown(estimate, ms('2024-05-06T09:10:00Z'), clock)).toEqual({
      headline: 'about 10 min left',
      detail: 'ends ≈ 09:20 (09:14–09:28), from 12 past runs like it (Startup)',
      progress: 0.5,
    });
    expect(countdown(estimate, ms('2024-05-06T09:18:55Z'), clock).headline).toBe('about 1 min 10 s left');
    expect(countdown(estimate, ms('2024-05-06T09:19:38Z'), clock).headline).toBe('about 20 s left');
    expect(countdown(estimate, ms('2024-05-06T09:19:55Z'), clock).headline).toBe('any moment now');
    expect(countdown(estimate, ms('2024-05-06T09:21:00Z'), clock)).toMatchObject({ headline: 'any moment now', progress: 1 });
    expect(countdown(estimate, ms('2024-05-06T09:29:00Z'), clock).headline).toBe('taking longer than usual');
  });

  it('says so when the history is too short for an estimate', () => {
    const none: Estimate = { procedure: 'Startup', startedAt: estimate.startedAt, step: null, estimatedEnd: null, p10End: null, p90End: null, basedOnRuns: 1, reason: 'short_history' };
    expect(countdown(none, ms('2024-05-06T09:10:00Z'), clock)).toEqual({ headline: 'no estimate yet', detail: 'too little history (1 past run)', progress: null });
  });

  it('formats durations for people, and for axes with a label per tick', () => {
    expect([42, 60, 250, 3900].map(formatDuration)).toEqual(['42 s', '1 min', '4 min 10 s', '1 h 05 min']);
    expect([0, 30, 60, 90, 120, 150, 5400, 7200, 9000].map(formatShortDuration)).toEqual(['0s', '30s', '60s', '90s', '2m', '2.5m', '90m', '2h', '2.5h']);
  });
});

describe('countdown of a short run', () => {
  it('shows seconds when the whole interval is a few minutes', () => {
    const short: Estimate = { procedure: 'Rinse', startedAt: '2024-05-06T09:00:00.000Z', step: null, estimatedEnd: '2024-05-06T09:00:40.000Z', p10End: '2024-05-06T09:00:35.000Z', p90End: '2024-05-06T09:00:50.000Z', basedOnRuns: 9, comparedWith: 'Rinse' };
    const clock = (t: number, seconds: boolean) => (seconds ? new Date(t).toISOString().slice(11, 19) : new Date(t).toISOString().slice(11, 16));
    expect(countdown(short, Date.parse('2024-05-06T09:00:10.000Z'), clock)).toEqual({
      headline: 'about 30 s left',
      detail: 'ends ≈ 09:00:40 (09:00:35–09:00:50), from 9 past runs like it (Rinse)',
      progress: 0.25,
    });
  });
});
