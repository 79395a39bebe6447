import type { SyntheticLogFile } from './log-writer.ts';
import { generateSyntheticHistory } from './synthetic-history.ts';

export interface LabDayInProgressOptions {
  /** The last simulated day, `YYYY-MM-DD` (zone-less, read as UTC): usually today. */
  endDate: string;
  days: number;
  seed: number;
  /** The procedure running at `nowMs`. */
  procedure: string;
  /** How far through that run `nowMs` falls, 0–1. */
  fraction: number;
  /** Only a run that lasted at least this long (the day's last such run is taken). */
  minSeconds?: number;
}

export interface LabDayInProgress {
  /** The moment the history stops: inside a run of the chosen procedure, on the last day. */
  nowMs: number;
  /** Launches closed before `nowMs`, whole. */
  past: SyntheticLogFile[];
  /** The launch open at `nowMs`, up to its last line at or before it. */
  current: SyntheticLogFile;
  /** The current launch's lines after `nowMs` (each with its line end), with the times they are due. */
  next: Array<{ atMs: number; text: string }>;
}

/**
 * Generated lab days at real speed (src/synthetic), cut in the middle of a run on the last day:
 * months of history for the charts and the countdown, a run in progress with realistic durations.
 * For the screenshots and the browser tests of the pages that show a countdown; the caller holds
 * its clock at `nowMs` (or moves it on from there).
 */
export function labDayInProgress(options: LabDayInProgressOptions): LabDayInProgress {
  const lastDay = Date.parse(`${options.endDate}T00:00:00.000Z`);
  if (!Number.isFinite(lastDay)) throw new RangeError(`not a date: ${options.endDate}`);
  const startDate = new Date(lastDay - (options.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const files = generateSyntheticHistory({ startDate, days: options.days, seed: options.seed, crashPerDay: 0 });
  // The lab simulator writes these lines (src/synthetic/lab-simulator.ts).
  const started = `,Instrument,Event:Starting_${options.procedure},`;
  const done = `,Instrument,Event:${options.procedure}_Done~`;
  for (let index = files.length - 1; index >= 0; index--) {
    const file = files[index]!;
    if (Date.parse(lineTime(file.text)) < lastDay) break;
    const lines = file.text.split(/(?<=\n)/);
    // The last run of the procedure in this launch that lasted long enough.
    for (let startLine = lines.length - 1; startLine >= 0; startLine--) {
      if (!lines[startLine]!.includes(started)) continue;
      const doneLine = lines.findIndex((line, i) => i > startLine && line.includes(done));
      if (doneLine === -1) continue;
      const startMs = Date.parse(lineTime(lines[startLine]!));
      const endMs = Date.parse(lineTime(lines[doneLine]!));
      if (endMs - startMs < (options.minSeconds ?? 0) * 1000) continue;
      const nowMs = Math.round(startMs + Math.min(1, Math.max(0, options.fraction)) * (endMs - startMs));
      const cut = lines.findIndex((line) => Date.parse(lineTime(line)) > nowMs);
      return {
        nowMs,
        past: files.slice(0, index),
        current: { name: file.name, text: lines.slice(0, cut).join('') },
        next: lines.slice(cut).map((text) => ({ atMs: Date.parse(lineTime(text)), text })),
      };
    }
  }
  throw new Error(`no finished ${options.procedure} on ${options.endDate} with seed ${options.seed}: try another seed or procedure`);
}

/** The time at the start of a generated line (`2024-05-06 09:00:00.123,…`), as UTC ISO. */
function lineTime(line: string): string {
  return `${line.slice(0, 10)}T${line.slice(11, 23)}Z`;
}
