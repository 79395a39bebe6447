import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logLine } from './attune-log.ts';

// Writes Attune NxT System logs over time, the way the instrument software does (docs/attune-logs.md):
// local times, CRLF line ends, appended a little at a time, sometimes cut mid-line, a new file
// per launch. Single lines come from `attune-log.ts`, shared with the core's tests.

/** A deterministic PRNG (mulberry32): the same seed writes the same logs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A local wall-clock time (kept in a Date's UTC fields: logs carry no zone). */
export function localTime(iso: string): Date {
  return new Date(`${iso}Z`);
}

export function logFileName(launch: Date): string {
  return `System_${launch.getUTCFullYear()}-${pad(launch.getUTCMonth() + 1)}-${pad(launch.getUTCDate())}_${pad(launch.getUTCHours())}-${pad(launch.getUTCMinutes())}-${pad(launch.getUTCSeconds())}.log`;
}

export interface LineSpec {
  at: Date;
  message: string;
  level?: string;
  user?: string;
  category?: string;
  code?: number;
  /** The US layout `09/11/2020 12:26:48.537 PM` instead of ISO. */
  usTime?: boolean;
}

/** One line in the layout the spec asks for (ISO or US time), built by the core tests' `logLine`. */
export function attuneLine(spec: LineSpec): string {
  const t = spec.at;
  const ms = pad(t.getUTCMilliseconds(), 3);
  let time: string;
  if (spec.usTime) {
    const h = t.getUTCHours();
    time = `${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${t.getUTCFullYear()} ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${ms} ${h < 12 ? 'AM' : 'PM'}`;
  } else {
    time = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${ms}`;
  }
  return logLine(time, spec.message, { level: spec.level, user: spec.user, category: spec.category ?? 'Application', code: spec.code });
}

/**
 * One realistic stretch of use starting at `start`: a login, a rinse with steps, a plate
 * acquisition with a bubble, FCS files saved, a glued message, an unreadable line, a logout.
 * Returns the lines (without line ends) and the time after the last one.
 */
export function sessionLines(start: Date, random: () => number, user = 'jsmith'): { lines: string[]; end: Date } {
  let ms = start.getTime();
  const lines: string[] = [];
  const next = (spec: Omit<LineSpec, 'at'>) => {
    ms += 50 + Math.floor(random() * 3000);
    lines.push(attuneLine({ ...spec, at: new Date(ms), usTime: random() < 0.1 }));
  };
  next({ message: 'login', user, category: 'Security' });
  next({ message: 'Rinse initiated', user });
  next({ message: 'Event:Starting_Rinse', user, category: 'Instrument' });
  const steps = 2 + Math.floor(random() * 6);
  for (let step = steps; step >= 0; step--) next({ message: `Instrument function Rinse executing line ${step}`, user, category: 'Instrument' });
  next({ message: 'Event:Rinse_Done~0', user, category: 'Instrument' });
  next({ message: 'Data:Some_Counter~42, with a comma', user, category: 'Data' });
  const well = `${'ABCDEFGH'[Math.floor(random() * 8)]}${1 + Math.floor(random() * 12)}`;
  next({ message: `Acquisition initiated on well ${well} Preload`, user });
  next({ message: 'Event:Starting_Acquisition', user, category: 'Instrument' });
  next({ message: 'Instrument function Acquisition executing line 3', user, category: 'Instrument' });
  if (random() < 0.5) next({ message: 'Data:New Bubble Detected at  12', user, category: 'Data' });
  next({ message: 'File Saved signal received for CytKick™ plate', user, category: 'Data' });
  next({ message: 'Event:Acquisition_Done~0Line Calibration initiated', user, category: 'Instrument' });
  ms += 10;
  lines.push('this line is not a log record');
  next({ message: 'logout', user, category: 'Security' });
  return { lines, end: new Date(ms) };
}

/** Appends to one log file, as the Attune software does. */
export class LogFileWriter {
  readonly path: string;
  readonly name: string;

  constructor(dir: string, name: string, options: { bom?: boolean } = {}) {
    this.name = name;
    this.path = join(dir, name);
    writeFileSync(this.path, options.bom ? '\uFEFF' : '', { flag: 'a' });
  }

  append(text: string | Buffer): void {
    appendFileSync(this.path, text);
  }

  /** Appends complete lines with CRLF ends. */
  appendLines(lines: readonly string[]): void {
    if (lines.length > 0) this.append(`${lines.join('\r\n')}\r\n`);
  }
}

/** Splits bytes at random points (inside lines, inside UTF-8 characters, between CR and LF). */
export function randomPieces(bytes: Buffer, random: () => number, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return pieces;
}

export const FIXTURE_URL = new URL('../../fixtures/attune/System_2020-09-11_12-26-48.log', import.meta.url);
export const FIXTURE_NAME = 'System_2020-09-11_12-26-48.log';

/** The real fixture repeated `copies` times, each copy a day later (a long log to catch up on). */
export function repeatedFixture(copies: number): Buffer {
  const lines = readFileSync(FIXTURE_URL, 'utf8').split('\n').filter((line) => line !== '');
  const start = Date.UTC(2020, 8, 11);
  const parts: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const day = new Date(start + copy * 86_400_000).toISOString().slice(0, 10);
    parts.push(lines.map((line) => day + line.slice(10)).join('\n') + '\n');
  }
  return Buffer.from(parts.join(''));
}
