import type { DurationSeries } from '../charts/duration-series.ts';
import { durationChart } from '../shared/chart-geometry.ts';
import { formatDuration, formatShortDuration } from '../shared/format.ts';
import { el, svg } from './dom.ts';

const WIDTH = 340;
const HEIGHT = 170;

/** One small chart per procedure: median and p90 of its duration per day or week, the band between shaded. */
export function drawDurationCharts(container: HTMLElement, series: readonly DurationSeries[], range: { fromDate: string; toDate: string }, bucket: string): void {
  if (series.length === 0) {
    container.replaceChildren(el('p', { class: 'empty' }, 'No completed runs in this period.'));
    return;
  }
  container.replaceChildren(
    ...series.map((one) => {
      const geometry = durationChart(one.points, { width: WIDTH, height: HEIGHT, left: 40, bottom: 22, fromDate: range.fromDate, toDate: range.toDate });
      const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'duration-svg', role: 'img', 'aria-label': `${one.procedure}: duration per ${bucket}` });
      for (const tick of geometry.yTicks) {
        chart.append(svg('line', { x1: 40, x2: WIDTH - 8, y1: tick.y, y2: tick.y, class: 'grid' }), svg('text', { x: 36, y: tick.y + 4, class: 'tick y' }, formatShortDuration(tick.seconds)));
      }
      // The last date label ends at the right edge rather than past it.
      for (const tick of geometry.xTicks) chart.append(svg('text', { x: tick.x, y: HEIGHT - 6, class: tick.x > WIDTH - 24 ? 'tick end' : 'tick' }, tick.date.slice(5)));
      chart.append(svg('path', { d: geometry.bandPath, class: 'band' }), svg('path', { d: geometry.p90Path, class: 'p90' }), svg('path', { d: geometry.medianPath, class: 'median' }));
      for (const dot of geometry.dots) {
        const p = dot.point;
        chart.append(
          svg('circle', { cx: dot.x, cy: dot.yMedian, r: 2.5, class: 'median-dot' }, svg('title', {}, `${bucket} of ${p.start}: ${p.runs} runs, median ${formatDuration(p.medianS)}, p90 ${formatDuration(p.p90S)}`)),
        );
      }
      return el('figure', { class: 'duration', 'data-procedure': one.procedure }, el('figcaption', {}, el('b', {}, one.procedure), ` · ${one.runs} run${one.runs === 1 ? '' : 's'}`), chart);
    }),
  );
}
