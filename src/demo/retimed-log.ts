import { parseLogTimestamp } from '../parser/timestamp.ts';

/**
 * A recorded Attune log played again as if it were being written now: every line's timestamp is
 * moved so the first falls at the new launch time and the gaps shrink by `speed`. The demo writes
 * the lines in UTC (and tells its agent so), which keeps the arithmetic free of time-zone gaps.
 */

export interface RecordedLine {
  /** The line's time as written (its local wall clock read as if UTC), null if it has none. */
  recordedMs: number | null;
  /** The rest of the line from the first comma, line end included. */
  rest: string;
}

export interface RecordedLog {
  lines: RecordedLine[];
  firstMs: number;
  lastMs: number;
}

/** Splits a log's text into lines with their times. A line without a readable time keeps the previous one's. */
export function readRecordedLog(text: string): RecordedLog {
  const lines: RecordedLine[] = [];
  for (const match of text.matchAll(/[^\n]*\n|[^\n]+$/g)) {
    const line = match[0].replace(/^\uFEFF/, '');
    const comma = line.indexOf(',');
    const local = comma === -1 ? null : parseLogTimestamp(line.slice(0, comma));
    lines.push(local === null ? { recordedMs: null, rest: line } : { recordedMs: Date.parse(`${local.replace(' ', 'T')}Z`), rest: line.slice(comma) });
  }
  const times = lines.flatMap((line) => (line.recordedMs === null ? [] : [line.recordedMs]));
  if (times.length === 0) throw new Error('the recorded log has no timestamped line');
  return { lines, firstMs: Math.min(...times), lastMs: Math.max(...times) };
}

export interface TimedLine {
  /** When the line is due, in wall-clock ms. */
  atMs: number;
  text: string;
}

/**
 * The log's lines as a launch at `startMs` (the file's name time) would write them at `speed`×.
 * The first line keeps its distance from the launch second, shrunk like the rest.
 */
export function retimedLines(log: RecordedLog, startMs: number, speed: number): TimedLine[] {
  const launchMs = Math.floor(log.firstMs / 1000) * 1000;
  let previous = startMs;
  return log.lines.map((line) => {
    if (line.recordedMs === null) return { atMs: previous, text: line.rest };
    previous = startMs + Math.round((line.recordedMs - launchMs) / speed);
    return { atMs: previous, text: `${formatLogTime(previous)}${line.rest}` };
  });
}

/** How long one play of the log lasts at `speed`×, in ms. */
export function playLength(log: RecordedLog, speed: number): number {
  return Math.ceil((log.lastMs - Math.floor(log.firstMs / 1000) * 1000) / speed);
}

/** `2024-05-06 09:00:00.123`: the Attune layout, in UTC. */
export function formatLogTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** `System_2024-05-06_09-00-00.log`: the name the software gives a launch at `ms` (UTC here). */
export function launchFileName(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `System_${iso.slice(0, 10)}_${iso.slice(11, 19).replace(/:/g, '-')}.log`;
}
