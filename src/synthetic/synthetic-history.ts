import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateDay } from './lab-day.ts';
import { LabSimulator } from './lab-simulator.ts';
import type { SyntheticLogFile } from './log-writer.ts';
import { Random } from './random.ts';

export interface SyntheticHistoryOptions {
  /** First day, `YYYY-MM-DD` (local). */
  startDate: string;
  days: number;
  seed: number;
  /** Chance that the software crashes on a given day (the log ends mid-run). */
  crashPerDay?: number;
}

export const DEFAULT_SYNTHETIC_HISTORY: SyntheticHistoryOptions = { startDate: '2024-03-04', days: 90, seed: 20240304, crashPerDay: 0.05 };

const DAY_MS = 86_400_000;

/**
 * A lab's `System_*.log` files over `days` days, deterministic for a seed: the same files, byte
 * for byte, every time. For backtests, benchmarks and the demo; no file system involved.
 */
export function generateSyntheticHistory(options: SyntheticHistoryOptions = DEFAULT_SYNTHETIC_HISTORY): SyntheticLogFile[] {
  const random = new Random(options.seed);
  const firstDay = Date.parse(`${options.startDate}T00:00:00.000Z`);
  if (!Number.isFinite(firstDay)) throw new RangeError(`not a date: ${options.startDate}`);
  const lab = new LabSimulator(random, firstDay);
  // The instrument's pace wanders from day to day (fluidics wear, cleaning, room temperature),
  // pulled back towards its usual.
  let drift = 0;
  for (let day = 0; day < options.days; day++) {
    drift = 0.85 * drift + random.normal() * 0.02;
    lab.dayPace = Math.exp(drift);
    lab.crashAtRun = random.chance(options.crashPerDay ?? 0.05) ? lab.runCount + random.int(3, 40) : -1;
    simulateDay(lab, firstDay + day * DAY_MS);
  }
  lab.quit();
  return lab.files;
}

/** Writes the files into `dir` (created if needed); returns their paths in launch order. */
export function writeSyntheticHistory(dir: string, options: SyntheticHistoryOptions = DEFAULT_SYNTHETIC_HISTORY): string[] {
  mkdirSync(dir, { recursive: true });
  return generateSyntheticHistory(options).map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.text);
    return path;
  });
}
