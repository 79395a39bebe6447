import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { launchFileName, playLength, retimedLines, type RecordedLog, type TimedLine } from './retimed-log.ts';

export interface DemoLogWriterOptions {
  dir: string;
  log: RecordedLog;
  speed: number;
  /** Wall time between the end of one launch and the next (the software was quit and started again). */
  pauseMs: number;
  now?: () => number;
  /** Told of each new log file, for the demo's printout. */
  onLaunch?: (file: string) => void;
}

/** The longest the writer sleeps, so that a clock that jumps is noticed within a second. */
const MAX_SLEEP_MS = 1000;

/**
 * Plays the recorded log into `dir` as the Attune software would write it: a new `System_*.log`
 * per launch, named with its launch time, lines appended when they are due, again and again.
 */
export class DemoLogWriter {
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private fd: number | null = null;
  private pending: TimedLine[] = [];
  private stopped = false;
  /** The last launch's time: the next is at least a second later, so file names never collide. */
  private lastStart = -Infinity;

  constructor(private readonly options: DemoLogWriterOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Writes `count` whole launches that ended before now, at once (the history an agent finds and
   * catches up on when it starts); returns their paths. They give the estimator past runs at the
   * demo's speed, so countdowns show from the first live run.
   */
  writePast(count: number): string[] {
    const { log, speed, pauseMs, dir } = this.options;
    const span = playLength(log, speed) + pauseMs;
    const paths: string[] = [];
    for (let i = count; i >= 1; i--) {
      const start = this.launchTime(this.now() - i * span);
      const path = join(dir, launchFileName(start));
      writeFileSync(path, retimedLines(log, start, speed).map((line) => line.text).join(''));
      paths.push(path);
    }
    return paths;
  }

  /** Starts a launch now, and the next one a pause after each ends, until `stop`. */
  start(): void {
    this.launch();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.closeFile();
  }

  private launch(): void {
    if (this.stopped) return;
    const start = this.launchTime(this.now());
    const path = join(this.options.dir, launchFileName(start));
    this.fd = openSync(path, 'a');
    this.pending = retimedLines(this.options.log, start, this.options.speed);
    this.options.onLaunch?.(path);
    this.tick();
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped || this.fd === null) return;
    const now = this.now();
    let due = 0;
    while (due < this.pending.length && this.pending[due]!.atMs <= now) due++;
    if (due > 0) {
      writeSync(this.fd, this.pending.slice(0, due).map((line) => line.text).join(''));
      this.pending = this.pending.slice(due);
    }
    const next = this.pending[0];
    if (next === undefined) {
      this.closeFile();
      this.timer = setTimeout(() => this.launch(), this.options.pauseMs);
      return;
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(MAX_SLEEP_MS, next.atMs - now)));
  }

  /** A whole second at or after `ms` and after the last launch (names have seconds only). */
  private launchTime(ms: number): number {
    this.lastStart = Math.max(Math.ceil(ms / 1000) * 1000, this.lastStart + 1000);
    return this.lastStart;
  }

  private closeFile(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
