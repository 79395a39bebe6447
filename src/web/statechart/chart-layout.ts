import { chartNodes, type ChartEdge, type ChartGraph, type ChartNode } from './chart-graph.ts';

/**
 * Lays a statechart out as nested boxes: the children of a compound state in one row (the initial
 * state first, then in the order transitions reach them), each transition an arc between two of
 * them — above the row when it goes right, below when it goes back — and the regions of a parallel
 * state stacked. Pure geometry, in SVG user units; text widths are estimated, not measured, so the
 * same graph always gives the same picture.
 */

export interface Box {
  id: string;
  kind: 'state' | 'region' | 'parallel';
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  /** Small lines under the title: events handled without a change of state. */
  notes: string[];
  description: string | null;
}

export interface EdgeShape {
  id: string;
  source: string;
  target: string;
  /** SVG path data, drawn from source to target. */
  path: string;
  label: { x: number; y: number; lines: string[] };
}

export interface InitialMarker {
  /** The compound state whose initial child it points to. */
  parent: string;
  cx: number;
  cy: number;
  path: string;
}

export interface ChartLayout {
  width: number;
  height: number;
  boxes: Box[];
  edges: EdgeShape[];
  initials: InitialMarker[];
}

const TITLE_CHAR = 7.6;
const NOTE_CHAR = 6.2;
const STATE_MIN_WIDTH = 120;
const STATE_TITLE_H = 30;
const NOTE_LINE_H = 13;
const GAP_X = 64;
const LEVEL_H = 46;
const PAD = 16;
const MARKER_SPACE = 34;
const REGION_TITLE_H = 26;
const LABEL_LINE_H = 12;

interface Placed {
  width: number;
  height: number;
  boxes: Box[];
  edges: EdgeShape[];
  initials: InitialMarker[];
}

export function layoutChart(graph: ChartGraph): ChartLayout {
  const placed = place(graph.root, graph.edges, 0, 0);
  return { width: placed.width, height: placed.height, boxes: placed.boxes, edges: placed.edges, initials: placed.initials };
}

function place(node: ChartNode, edges: readonly ChartEdge[], x: number, y: number): Placed {
  if (node.children.length === 0) return placeState(node, x, y);
  if (node.type === 'parallel') return placeParallel(node, edges, x, y);
  return placeCompound(node, edges, x, y);
}

function placeState(node: ChartNode, x: number, y: number): Placed {
  const notes = node.internal.length === 0 ? [] : wrapNotes(node.internal);
  const width = Math.max(STATE_MIN_WIDTH, node.key.length * TITLE_CHAR + 28, ...notes.map((line) => line.length * NOTE_CHAR + 20));
  const height = STATE_TITLE_H + notes.length * NOTE_LINE_H + (notes.length > 0 ? 6 : 0);
  return { width, height, boxes: [{ id: node.id, kind: 'state', x, y, width, height, title: node.key, notes, description: node.description }], edges: [], initials: [] };
}

function placeParallel(node: ChartNode, edges: readonly ChartEdge[], x: number, y: number): Placed {
  const top = y + REGION_TITLE_H;
  // Measure first (at the origin) so every region can be drawn as wide as the widest.
  const widest = Math.max(...node.children.map((child) => place(child, edges, 0, 0).width));
  const out: Placed = { width: 0, height: 0, boxes: [], edges: [], initials: [] };
  let cursor = top + PAD / 2;
  for (const child of node.children) {
    const region = place(child, edges, x + PAD, cursor);
    const regionBox = region.boxes.find((box) => box.id === child.id);
    if (regionBox !== undefined) regionBox.width = widest;
    merge(out, region);
    cursor += region.height + PAD / 2;
  }
  const width = widest + 2 * PAD;
  const height = cursor - y + PAD / 2;
  out.boxes.unshift({ id: node.id, kind: 'parallel', x, y, width, height, title: `${node.key} (parallel)`, notes: wrapNotes(node.internal), description: node.description });
  return { ...out, width, height };
}

function placeCompound(node: ChartNode, edges: readonly ChartEdge[], x: number, y: number): Placed {
  const children = orderChildren(node, edges);
  const index = new Map(children.map((child, i) => [child.id, i]));
  const owner = ownerIn(node);
  // Transitions between two of this state's children (or their descendants), lifted to them.
  const arcs = edges.flatMap((edge) => {
    const source = owner.get(edge.source);
    const target = owner.get(edge.target);
    return source === undefined || target === undefined ? [] : [{ edge, from: index.get(source)!, to: index.get(target)! }];
  });
  const levels = arcLevels(arcs.map((arc) => ({ from: arc.from, to: arc.to })));
  const labelRoom = (side: 'above' | 'below') =>
    Math.max(0, ...arcs.map((arc, i) => (sideOf(arc) === side ? levels[i]! * LEVEL_H + labelLines(arc.edge).length * LABEL_LINE_H / 2 + 8 : 0)));
  const above = labelRoom('above');
  const below = labelRoom('below');
  const notes = node.internal.length === 0 ? [] : [`also: ${node.internal.join(', ')}`];
  const headerH = REGION_TITLE_H + notes.length * NOTE_LINE_H;

  // Children in a row, tops aligned, below the room the arcs above them need.
  const measured = children.map((child) => place(child, edges, 0, 0));
  const rowTop = y + headerH + above + PAD / 2;
  const out: Placed = { width: 0, height: 0, boxes: [], edges: [], initials: [] };
  const frames: Array<{ x: number; y: number; width: number; height: number }> = [];
  let cursor = x + PAD + MARKER_SPACE;
  children.forEach((child, i) => {
    const size = measured[i]!;
    const childPlaced = place(child, edges, cursor, rowTop);
    merge(out, childPlaced);
    frames.push({ x: cursor, y: rowTop, width: size.width, height: size.height });
    cursor += size.width + GAP_X;
  });
  const rowBottom = rowTop + Math.max(...measured.map((size) => size.height));
  const width = cursor - GAP_X + PAD - x;
  const height = rowBottom + below + PAD - y;

  const ports = portPositions(arcs, frames);
  arcs.forEach((arc, i) => {
    out.edges.push(arcShape(arc.edge, sideOf(arc), frames[arc.from]!, frames[arc.to]!, ports.get(i)!, levels[i]!, rowBottom));
  });
  const first = frames[0];
  if (node.initial !== null && first !== undefined && index.get(node.initial) === 0) {
    const cy = first.y + STATE_TITLE_H / 2;
    out.initials.push({ parent: node.id, cx: x + PAD + 6, cy, path: `M ${x + PAD + 11} ${cy} L ${first.x - 2} ${cy}` });
  }
  out.boxes.unshift({ id: node.id, kind: 'region', x, y, width, height, title: node.key, notes, description: node.description });
  return { ...out, width, height };
}

type Arc = { edge: ChartEdge; from: number; to: number };

function sideOf(arc: { from: number; to: number }): 'above' | 'below' | 'self' {
  return arc.from === arc.to ? 'self' : arc.from < arc.to ? 'above' : 'below';
}

/** The initial child first, then breadth first along transitions, then any the transitions never reach. */
function orderChildren(node: ChartNode, edges: readonly ChartEdge[]): ChartNode[] {
  const owner = ownerIn(node);
  const byId = new Map(node.children.map((child) => [child.id, child]));
  const start = node.initial !== null && byId.has(node.initial) ? [node.initial] : [];
  const seen = new Set(start);
  const queue = [...start];
  for (let i = 0; i < queue.length; i++) {
    for (const edge of edges) {
      const from = owner.get(edge.source);
      const to = owner.get(edge.target);
      if (from === queue[i] && to !== undefined && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  for (const child of node.children) if (!seen.has(child.id)) queue.push(child.id);
  return queue.map((id) => byId.get(id)!);
}

/** Maps every descendant of `node` to the child of `node` that holds it. */
function ownerIn(node: ChartNode): Map<string, string> {
  const owner = new Map<string, string>();
  for (const child of node.children) for (const below of chartNodes(child)) owner.set(below.id, child.id);
  return owner;
}

/**
 * How high each arc rises, in levels: one above the highest arc it spans on its side, so nested
 * arcs never touch. Self loops sit on level 1.
 */
export function arcLevels(arcs: ReadonlyArray<{ from: number; to: number }>): number[] {
  const spans = arcs.map((arc) => ({ low: Math.min(arc.from, arc.to), high: Math.max(arc.from, arc.to), side: sideOf(arc) }));
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.high - spans[a]!.low - (spans[b]!.high - spans[b]!.low) || a - b);
  const levels: number[] = new Array<number>(arcs.length).fill(1);
  for (const i of order) {
    const span = spans[i]!;
    if (span.side === 'self') continue;
    let level = 1;
    for (const j of order) {
      const other = spans[j]!;
      if (j === i || other.side !== span.side) continue;
      const inside = other.low >= span.low && other.high <= span.high && other.high - other.low < span.high - span.low;
      if (inside) level = Math.max(level, levels[j]! + 1);
    }
    levels[i] = level;
  }
  return levels;
}

/**
 * Where each arc leaves and meets its boxes: the arcs on one side of a box share it out evenly,
 * ordered by where their other end lies, so arcs do not cross at the box.
 */
function portPositions(arcs: readonly Arc[], frames: ReadonlyArray<{ x: number; width: number }>): Map<number, { x1: number; x2: number }> {
  const sides = new Map<string, Array<{ arc: number; end: 'x1' | 'x2'; other: number }>>();
  arcs.forEach((arc, i) => {
    const side = sideOf(arc);
    if (side === 'self') return;
    const add = (box: number, end: 'x1' | 'x2', other: number) => {
      const key = `${box}:${side}`;
      const list = sides.get(key) ?? [];
      list.push({ arc: i, end, other });
      sides.set(key, list);
    };
    add(arc.from, 'x1', arc.to);
    add(arc.to, 'x2', arc.from);
  });
  const ports = new Map<number, { x1: number; x2: number }>(arcs.map((arc, i) => [i, { x1: 0, x2: 0 }]));
  for (const [key, list] of sides) {
    const frame = frames[Number(key.split(':')[0])]!;
    list.sort((a, b) => a.other - b.other || a.arc - b.arc);
    list.forEach((port, k) => {
      ports.get(port.arc)![port.end] = frame.x + (frame.width * (k + 1)) / (list.length + 1);
    });
  }
  return ports;
}

function arcShape(edge: ChartEdge, side: 'above' | 'below' | 'self', from: Frame, to: Frame, port: { x1: number; x2: number }, level: number, rowBottom: number): EdgeShape {
  const lines = labelLines(edge);
  if (side === 'self') {
    const right = from.x + from.width;
    const top = from.y;
    const path = `M ${right - 30} ${top} C ${right - 30} ${top - 36}, ${right + 30} ${top - 20}, ${right} ${top + 12}`;
    return { id: edge.id, source: edge.source, target: edge.target, path, label: { x: right + 16, y: top - 26, lines } };
  }
  const rise = level * LEVEL_H;
  const control = (rise * 4) / 3;
  // Tops are aligned; bottoms differ with the boxes' heights, and arcs below start from the lowest.
  const y1 = side === 'above' ? from.y : from.y + from.height;
  const y2 = side === 'above' ? to.y : to.y + to.height;
  const dir = side === 'above' ? -1 : 1;
  const yBase = side === 'above' ? Math.min(y1, y2) : rowBottom;
  const path = `M ${port.x1} ${y1} C ${port.x1} ${yBase + dir * control}, ${port.x2} ${yBase + dir * control}, ${port.x2} ${y2}`;
  return { id: edge.id, source: edge.source, target: edge.target, path, label: { x: (port.x1 + port.x2) / 2, y: yBase + dir * rise, lines } };
}

type Frame = { x: number; y: number; width: number; height: number };

/** One line per event, with its guard: `procedure_done [doneClosesRun]`. */
export function labelLines(edge: ChartEdge): string[] {
  return edge.events.map((event) => (event.guard === null ? event.event : `${event.event} [${event.guard}]`));
}

function wrapNotes(events: readonly string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const event of events) {
    const next = line === '' ? event : `${line}, ${event}`;
    if (next.length > 30 && line !== '') {
      lines.push(`${line},`);
      line = event;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function merge(into: Placed, from: Placed): void {
  into.boxes.push(...from.boxes);
  into.edges.push(...from.edges);
  into.initials.push(...from.initials);
}
