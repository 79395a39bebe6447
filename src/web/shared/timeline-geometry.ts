/** The fields of a run the timeline draws (a `procedure_runs` row has them all). */
export interface TimelineRun {
  runId: string;
  instrumentId: string;
  procedure: string;
  user: string | null;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface TimelineBar {
  runId: string;
  lane: number;
  x: number;
  width: number;
  /** `completed`, `failed`… or `open` for a run still going. */
  outcome: string;
  /** Drawn inside the bar when it is wide enough, else empty. */
  label: string;
  run: TimelineRun;
}

export interface TimelineTick {
  x: number;
  ms: number;
}

export interface TimelineLayout {
  /** The time window drawn, in ms since the epoch. */
  fromMs: number;
  toMs: number;
  bars: TimelineBar[];
  ticks: TimelineTick[];
  nowX: number | null;
}

export interface TimelineOptions {
  /** Start and end of the day shown. */
  dayStartMs: number;
  dayEndMs: number;
  nowMs: number;
  /** Drawing width of the time axis. */
  width: number;
  /** One lane per instrument, in this order. */
  lanes: readonly string[];
  /** The viewer's offset from UTC at a moment (ticks fall on whole local hours). */
  offsetMs: (ms: number) => number;
}

/** The least time the axis shows: a day's first run is not a bar across the whole width. */
const MIN_SPAN_MS = 20 * 60_000;
const LABEL_CHAR_PX = 6.5;
const TICK_STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 360];

/**
 * Bars on a time axis for the day's runs: the window spans from the first run (or 20 minutes before
 * now) to now or the last end, within the day, so a short day is not a few pixels at one end of 24
 * hours. Runs still open reach to now.
 */
export function timelineLayout(runs: readonly TimelineRun[], options: TimelineOptions): TimelineLayout {
  const starts = runs.map((run) => Date.parse(run.startedAt));
  const ends = runs.map((run) => (run.endedAt === null ? options.nowMs : Date.parse(run.endedAt)));
  const nowInDay = Math.min(Math.max(options.nowMs, options.dayStartMs), options.dayEndMs);
  let fromMs = Math.max(options.dayStartMs, Math.min(nowInDay - MIN_SPAN_MS, ...starts));
  let toMs = Math.min(options.dayEndMs, Math.max(nowInDay, fromMs + MIN_SPAN_MS, ...ends));
  const pad = (toMs - fromMs) * 0.02;
  fromMs = Math.max(options.dayStartMs, fromMs - pad);
  toMs = Math.min(options.dayEndMs, toMs + pad);
  const scale = options.width / Math.max(1, toMs - fromMs);
  const xOf = (ms: number) => (Math.min(Math.max(ms, fromMs), toMs) - fromMs) * scale;

  const bars = runs.map((run, i): TimelineBar => {
    const x = xOf(starts[i]!);
    const width = Math.max(2, xOf(ends[i]!) - x);
    const fits = run.procedure.length * LABEL_CHAR_PX + 8 <= width;
    return { runId: run.runId, lane: Math.max(0, options.lanes.indexOf(run.instrumentId)), x, width, outcome: run.outcome ?? 'open', label: fits ? run.procedure : '', run };
  });
  return { fromMs, toMs, bars, ticks: ticks(fromMs, toMs, options), nowX: options.nowMs >= fromMs && options.nowMs <= toMs ? xOf(options.nowMs) : null };
}

/** Ticks on whole local 5, 10, 15, 30… minutes, at least 70 px apart. */
function ticks(fromMs: number, toMs: number, options: TimelineOptions): TimelineTick[] {
  const span = toMs - fromMs;
  const stepMin = TICK_STEPS_MIN.find((step) => (span / (step * 60_000)) * 70 <= options.width) ?? 360;
  const step = stepMin * 60_000;
  const offset = options.offsetMs(fromMs);
  const first = Math.ceil((fromMs + offset) / step) * step - offset;
  const out: TimelineTick[] = [];
  for (let ms = first; ms <= toMs; ms += step) out.push({ ms, x: ((ms - fromMs) / span) * options.width });
  return out;
}
