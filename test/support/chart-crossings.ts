/** A rectangle in the drawing (a state's box, a label's plate). */
export interface Rect {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge as drawn: its id and the corners of its route. */
export interface Route {
  id: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

/**
 * Every (route, box) where a segment of the route passes through the inside of a box. A route
 * starts and ends on its boxes' borders, so the inside is the box shrunk by `margin`.
 */
export function routesThroughBoxes(routes: readonly Route[], boxes: readonly Rect[], margin = 1): string[] {
  const hits: string[] = [];
  for (const route of routes) {
    for (let i = 1; i < route.points.length; i++) {
      const a = route.points[i - 1]!;
      const b = route.points[i]!;
      for (const box of boxes) {
        if (segmentCrossesRect(a, b, { x: box.x + margin, y: box.y + margin, width: box.width - 2 * margin, height: box.height - 2 * margin })) hits.push(`${route.id} through ${box.id}`);
      }
    }
  }
  return [...new Set(hits)];
}

/** Pairs of rectangles that overlap (touching is not overlapping). */
export function overlappingPairs(rects: readonly Rect[]): string[] {
  const pairs: string[] = [];
  rects.forEach((a, i) => {
    for (const b of rects.slice(i + 1)) if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) pairs.push(`${a.id} / ${b.id}`);
  });
  return pairs;
}

/** Whether the segment a–b has a point strictly inside the rectangle (Liang–Barsky clipping). */
function segmentCrossesRect(a: { x: number; y: number }, b: { x: number; y: number }, rect: { x: number; y: number; width: number; height: number }): boolean {
  if (rect.width <= 0 || rect.height <= 0) return false;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const clips: Array<[number, number]> = [
    [-dx, a.x - rect.x],
    [dx, rect.x + rect.width - a.x],
    [-dy, a.y - rect.y],
    [dy, rect.y + rect.height - a.y],
  ];
  for (const [p, q] of clips) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return t0 < t1;
}
