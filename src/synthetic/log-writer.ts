import type { Random } from './random.ts';

/** A generated `System_*.log`: its name and its whole text. */
export interface SyntheticLogFile {
  name: string;
  text: string;
}

export type Level = 'Info' | 'Warning' | 'Error';
export type Category = 'Application' | 'Instrument' | 'Data' | 'Security';

/**
 * The lines of one launch, in the fixture's layout: `2020-09-11 12:30:07.531,Info,jsmith,
 * Instrument,Startup initiated,4139`. Times are the PC's local wall clock, kept here as
 * milliseconds of a zone-less clock (Date.UTC fields are the local fields).
 */
export class LogFileWriter {
  readonly name: string;
  private readonly lines: string[] = [];
  /** The logged-in user, written in column 3 of every line. */
  user = '';

  constructor(
    launchMs: number,
    private readonly random: Random,
  ) {
    this.name = `System_${localStamp(launchMs).replace(' ', '_').replaceAll(':', '-').slice(0, 19)}.log`;
  }

  write(atMs: number, level: Level, category: Category, message: string): void {
    // Two threads write the real log; which one is noise.
    const thread = this.random.chance(0.15) ? 4139 : 4132;
    this.lines.push([localStamp(atMs), level, csvField(this.user), category, csvField(message), String(thread)].join(','));
  }

  /** The file's text; `cutShort` drops the end of the last line, as a power cut leaves it. */
  finish(cutShort = false): SyntheticLogFile {
    if (!cutShort || this.lines.length === 0) return { name: this.name, text: this.lines.join('\n') + '\n' };
    const last = this.lines[this.lines.length - 1] as string;
    const kept = this.lines.slice(0, -1).join('\n');
    return { name: this.name, text: `${kept}\n${last.slice(0, Math.max(1, Math.floor(last.length / 2)))}` };
  }
}

/** `YYYY-MM-DD HH:MM:SS.mmm` of the zone-less clock. */
export function localStamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
