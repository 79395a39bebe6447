import { describe, expect, it } from 'vitest';
import { labDayInProgress } from '../../src/synthetic/lab-day-in-progress.ts';

const lineMs = (line: string) => Date.parse(`${line.slice(0, 10)}T${line.slice(11, 23)}Z`);

describe('a generated lab day cut in the middle of a run', () => {
  const options = { endDate: '2026-03-10', days: 6, seed: 7, procedure: 'Acquisition', fraction: 0.4, minSeconds: 240 };
  const day = labDayInProgress(options);

  it('stops on the last day, inside the last long enough run of the procedure', () => {
    expect(new Date(day.nowMs).toISOString().slice(0, 10)).toBe('2026-03-10');
    const lines = day.current.text.trimEnd().split('\n');
    const start = lines.findLastIndex((line) => line.includes(',Instrument,Event:Starting_Acquisition,'));
    expect(start).toBeGreaterThan(-1);
    // Started, not yet done, at least 4 minutes long, 40 % through.
    expect(lines.slice(start).some((line) => line.includes('Event:Acquisition_Done~'))).toBe(false);
    const done = day.next.find((line) => line.text.includes(',Instrument,Event:Acquisition_Done~'))!;
    const startMs = lineMs(lines[start]!);
    expect(done.atMs - startMs).toBeGreaterThanOrEqual(240_000);
    expect(day.nowMs).toBe(Math.round(startMs + 0.4 * (done.atMs - startMs)));
  });

  it('splits the launch at that moment: written lines before, the rest after, earlier launches whole', () => {
    const lines = day.current.text.trimEnd().split('\n');
    expect(lines.every((line) => lineMs(line) <= day.nowMs)).toBe(true);
    expect(day.next.every((line) => line.atMs > day.nowMs && line.text.endsWith('\n'))).toBe(true);
    expect(day.past.length).toBeGreaterThan(2);
    expect(day.past.every((file) => file.name < day.current.name)).toBe(true);
  });

  it('is the same for the same options', () => {
    expect(labDayInProgress(options)).toEqual(day);
    expect(() => labDayInProgress({ ...options, procedure: 'No Such Procedure' })).toThrow(/no finished No Such Procedure on 2026-03-10/);
  });
});
