/** A point of a duration series: the bucket's first local date and its statistics. */
export interface ChartPoint {
  start: string;
  runs: number;
  medianS: number;
  p90S: number;
}

export interface ChartGeometry {
  medianPath: string;
  p90Path: string;
  /** The band between median and p90, as a closed path. */
  bandPath: string;
  dots: Array<{ x: number; yMedian: number; yP90: number; point: ChartPoint }>;
  yTicks: Array<{ y: number; seconds: number }>;
  xTicks: Array<{ x: number; date: string }>;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Left margin for the y labels, bottom margin for the x labels. */
  left: number;
  bottom: number;
  /** The dates the x axis spans (`YYYY-MM-DD`). */
  fromDate: string;
  toDate: string;
}

const DAY_MS = 86_400_000;
const NICE_STEPS_S = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** Lines of the median and p90 of one procedure over time, y from 0 to a round value above the highest p90. */
export function durationChart(points: readonly ChartPoint[], box: ChartBox): ChartGeometry {
  const x0 = Date.parse(`${box.fromDate}T00:00:00Z`);
  const x1 = Math.max(x0 + DAY_MS, Date.parse(`${box.toDate}T00:00:00Z`));
  const plotW = box.width - box.left - 8;
  const plotH = box.height - box.bottom - 8;
  const highest = Math.max(1, ...points.map((point) => point.p90S));
  const step = NICE_STEPS_S.find((s) => highest / s <= 4) ?? Math.ceil(highest / 4 / 3600) * 3600;
  const top = Math.ceil((highest * 1.05) / step) * step;
  const xOf = (date: string) => box.left + ((Date.parse(`${date}T00:00:00Z`) - x0) / (x1 - x0)) * plotW;
  const yOf = (seconds: number) => 8 + plotH - (seconds / top) * plotH;

  const dots = points.map((point) => ({ x: xOf(point.start), yMedian: yOf(point.medianS), yP90: yOf(point.p90S), point }));
  const line = (ys: number[]) => dots.map((dot, i) => `${i === 0 ? 'M' : 'L'} ${round(dot.x)} ${round(ys[i]!)}`).join(' ');
  const medianPath = line(dots.map((dot) => dot.yMedian));
  const p90Path = line(dots.map((dot) => dot.yP90));
  const back = [...dots].reverse().map((dot) => `L ${round(dot.x)} ${round(dot.yMedian)}`).join(' ');
  const bandPath = dots.length === 0 ? '' : `${p90Path} ${back} Z`;

  const yTicks: ChartGeometry['yTicks'] = [];
  for (let seconds = 0; seconds <= top; seconds += step) yTicks.push({ y: yOf(seconds), seconds });
  const days = Math.round((x1 - x0) / DAY_MS);
  const every = days <= 14 ? 7 : days <= 62 ? 14 : days <= 200 ? 30 : 91;
  const xTicks: ChartGeometry['xTicks'] = [];
  for (let ms = x0; ms <= x1; ms += every * DAY_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    xTicks.push({ x: xOf(date), date });
  }
  return { medianPath, p90Path, bandPath, dots, yTicks, xTicks };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
