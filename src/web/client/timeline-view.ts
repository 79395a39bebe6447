import type { ProcedureRun } from '../../store/procedure-runs-projection.ts';
import { formatClock, formatDuration } from '../shared/format.ts';
import { outcomeMark } from '../shared/outcomes.ts';
import { timelineLayout } from '../shared/timeline-geometry.ts';
import { el, localDateTime, localOffsetMs, svg } from './dom.ts';

const LANE_H = 34;
const AXIS_H = 22;
const NAME_W = 92;
/** The geometry's estimate of a label character's width. */
const MARK_LABEL_CHAR_PX = 6.5;

/** Today's runs as bars on a time axis, one lane per instrument; a bar's tooltip tells the run. */
export function drawTimeline(container: HTMLElement, runs: readonly ProcedureRun[], lanes: readonly string[], day: { start: number; end: number }, nowMs: number): void {
  // The container's padding is inside clientWidth.
  const width = Math.max(300, container.clientWidth - 14);
  const axisW = width - NAME_W - 12;
  const layout = timelineLayout(runs, { dayStartMs: day.start, dayEndMs: day.end, nowMs, width: axisW, lanes, offsetMs: localOffsetMs });
  const height = AXIS_H + Math.max(1, lanes.length) * LANE_H + 4;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'timeline-svg', role: 'img', 'aria-label': `${runs.length} runs today` });
  const plot = svg('g', { transform: `translate(${NAME_W} 0)` });
  for (const tick of layout.ticks) {
    plot.append(
      svg('line', { x1: tick.x, x2: tick.x, y1: AXIS_H - 4, y2: height, class: 'grid' }),
      svg('text', { x: tick.x, y: AXIS_H - 8, class: 'tick' }, formatClock(tick.ms, localOffsetMs)),
    );
  }
  lanes.forEach((lane, i) => {
    root.append(svg('text', { x: 4, y: AXIS_H + i * LANE_H + LANE_H / 2 + 4, class: 'lane-name' }, lane));
  });
  for (const bar of layout.bars) {
    const run = bar.run as ProcedureRun;
    const duration = run.durationS === null ? `running for ${formatDuration((nowMs - Date.parse(run.startedAt)) / 1000)}` : formatDuration(run.durationS);
    const outcome = outcomeMark(run.outcome);
    const title = `${run.procedure}${run.well === null ? '' : ` well ${run.well}`} · ${run.user ?? 'nobody logged in'} · ${outcome.word} · ${duration} · started ${localDateTime(run.startedAt)}`;
    const y = AXIS_H + bar.lane * LANE_H + 5;
    // The outcome's mark leads the label; a bar too narrow for the name still shows the mark.
    const text = bar.label !== '' && (bar.label.length + 2) * MARK_LABEL_CHAR_PX + 8 <= bar.width ? `${outcome.mark} ${bar.label}` : bar.width >= 14 ? outcome.mark : '';
    plot.append(
      svg(
        'g',
        { class: `bar ${bar.outcome}`, 'data-run': bar.runId },
        svg('title', {}, title),
        svg('rect', { x: bar.x, y, width: bar.width, height: LANE_H - 10, rx: 3 }),
        text === '' ? null : svg('text', { x: bar.x + 4, y: y + (LANE_H - 10) / 2 + 4 }, text),
      ),
    );
  }
  if (layout.nowX !== null) plot.append(svg('line', { x1: layout.nowX, x2: layout.nowX, y1: AXIS_H - 4, y2: height, class: 'now' }));
  root.append(plot);
  container.replaceChildren(runs.length === 0 ? el('p', { class: 'empty' }, 'No runs yet today.') : root);
}
