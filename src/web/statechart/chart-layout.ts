import elkjs, { type ElkExtendedEdge, type ElkLabel, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { ChartEdge, ChartGraph, ChartNode } from './chart-graph.ts';

/**
 * Lays a statechart out with ELK's layered algorithm (elkjs): states left to right in the order
 * transitions lead, edges routed orthogonally around the boxes, labels placed by ELK beside their
 * edges, and compound and parallel states as ELK's own hierarchy (their children laid out inside
 * them, edges across levels routed by the same run). Sizes of text are estimated, not measured, so
 * the same graph always gives the same picture. In SVG user units, all relative to the drawing.
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

export interface LabelBox {
  /** Top left corner, as ELK placed it. */
  x: number;
  y: number;
  width: number;
  height: number;
  lines: string[];
}

export interface EdgeShape {
  id: string;
  source: string;
  target: string;
  /** The route from source to target, corners included. */
  points: Array<{ x: number; y: number }>;
  label: LabelBox;
}

export interface InitialMarker {
  /** The compound state whose initial child it points to. */
  parent: string;
  cx: number;
  cy: number;
  points: Array<{ x: number; y: number }>;
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
const REGION_TITLE_H = 26;
/** A label line: 10 px type. */
export const LABEL_LINE_H = 12;
export const LABEL_CHAR = 5.6;
const LABEL_PAD = 6;
const INITIAL_SIZE = 10;
const INITIAL_SUFFIX = '#initial';
/** The drawing around the machine's root state (ELK's root node). */
const DRAWING = '#drawing';

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.spacing.nodeNodeBetweenLayers': '50',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '12',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.edgeNode': '18',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.labelLabel': '6',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.mergeEdges': 'false',
  // The order of the children (the initial state first, then as transitions reach them) decides
  // which way is forward: edges against it are the ones drawn going back.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.separateConnectedComponents': 'false',
} as const;

/** The layout of a graph, computed by ELK (asynchronous: elkjs answers with a promise). */
export async function layoutChart(graph: ChartGraph): Promise<ChartLayout> {
  const parents = parentsOf(graph.root);
  const containers = new Map<string, ElkExtendedEdge[]>();
  const edgeAt = (container: string, edge: ElkExtendedEdge) => containers.set(container, [...(containers.get(container) ?? []), edge]);
  for (const edge of graph.edges) edgeAt(commonContainer(edge.source, edge.target, parents), elkEdge(edge));
  const elkGraph: ElkNode = { id: DRAWING, layoutOptions: { 'elk.padding': '[top=12,left=12,bottom=12,right=12]' }, children: [elkNodeOf(graph.root, containers)] };
  // elkjs is CommonJS: Node's default import is its module.exports, the constructor, which also
  // carries itself as `default` (what TypeScript sees). Without a worker URL it runs in-process.
  const laid = await new elkjs.default().layout(elkGraph, { layoutOptions: LAYOUT_OPTIONS });

  const boxes: Box[] = [];
  const initials: InitialMarker[] = [];
  const nodes = new Map(allChartNodes(graph.root).map((node) => [node.id, node]));
  const visit = (node: ElkNode) => {
    const chart = nodes.get(node.id);
    if (chart !== undefined) boxes.push(boxOf(chart, node));
    for (const child of node.children ?? []) visit(child);
  };
  visit(laid);
  const edges: EdgeShape[] = [];
  const byId = new Map(graph.edges.map((edge) => [edge.id, edge]));
  const collect = (node: ElkNode) => {
    for (const edge of node.edges ?? []) {
      const points = pointsOf(edge);
      const chart = byId.get(edge.id);
      if (chart !== undefined) edges.push({ id: chart.id, source: chart.source, target: chart.target, points, label: labelOf(edge.labels?.[0], chart) });
      else if (edge.id.endsWith(INITIAL_SUFFIX)) {
        const marker = (node.children ?? []).find((child) => child.id === edge.sources[0]);
        if (marker !== undefined) initials.push({ parent: node.id, cx: (marker.x ?? 0) + INITIAL_SIZE / 2, cy: (marker.y ?? 0) + INITIAL_SIZE / 2, points });
      }
    }
    for (const child of node.children ?? []) collect(child);
  };
  collect(laid);
  return { width: laid.width ?? 0, height: laid.height ?? 0, boxes, edges, initials };
}

function elkNodeOf(node: ChartNode, containers: ReadonlyMap<string, ElkExtendedEdge[]>): ElkNode {
  const edges = containers.get(node.id) ?? [];
  if (node.children.length === 0) {
    const { width, height } = stateSize(node);
    return { id: node.id, width, height, layoutOptions: { 'elk.portConstraints': 'FREE' } };
  }
  const children = orderChildren(node, containers.get(node.id) ?? []).map((child) => elkNodeOf(child, containers));
  // The initial state's marker: a dot with an arrow, laid out like any other node and edge.
  if (node.type === 'compound' && node.initial !== null) {
    const marker = `${node.id}${INITIAL_SUFFIX}`;
    children.unshift({ id: marker, width: INITIAL_SIZE, height: INITIAL_SIZE, layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST' } });
    edges.push({ id: marker, sources: [marker], targets: [node.initial] });
  }
  const header = REGION_TITLE_H + regionNotes(node).length * NOTE_LINE_H + 8;
  const layoutOptions: Record<string, string> = { 'elk.padding': `[top=${header},left=16,bottom=16,right=16]` };
  // The regions of a parallel state (no edges between them) fall in one layer: one above the other.
  if (node.type === 'parallel') layoutOptions['elk.spacing.nodeNode'] = '24';
  return { id: node.id, layoutOptions, children, edges };
}

/** The initial child first, then breadth first along the transitions between children, then the rest. */
function orderChildren(node: ChartNode, edges: readonly ElkExtendedEdge[]): ChartNode[] {
  const byId = new Map(node.children.map((child) => [child.id, child]));
  const queue = node.initial !== null && byId.has(node.initial) ? [node.initial] : [];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    for (const edge of edges) {
      const to = edge.targets[0];
      if (edge.sources[0] === queue[i] && to !== undefined && byId.has(to) && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  for (const child of node.children) if (!seen.has(child.id)) queue.push(child.id);
  return queue.map((id) => byId.get(id)!);
}

function elkEdge(edge: ChartEdge): ElkExtendedEdge {
  const lines = labelLines(edge);
  const label: ElkLabel = { id: `${edge.id}#label`, text: lines.join('\n'), ...labelSize(lines) };
  return { id: edge.id, sources: [edge.source], targets: [edge.target], labels: [label] };
}

export function labelSize(lines: readonly string[]): { width: number; height: number } {
  return { width: Math.max(...lines.map((line) => line.length)) * LABEL_CHAR + LABEL_PAD, height: lines.length * LABEL_LINE_H + 4 };
}

function stateSize(node: ChartNode): { width: number; height: number } {
  const notes = stateNotes(node);
  const width = Math.max(STATE_MIN_WIDTH, node.key.length * TITLE_CHAR + 28, ...notes.map((line) => line.length * NOTE_CHAR + 20));
  return { width, height: STATE_TITLE_H + notes.length * NOTE_LINE_H + (notes.length > 0 ? 6 : 0) };
}

function boxOf(node: ChartNode, laid: ElkNode): Box {
  const kind = node.children.length === 0 ? 'state' : node.type === 'parallel' ? 'parallel' : 'region';
  const title = kind === 'parallel' ? `${node.key} (parallel)` : node.key;
  const notes = kind === 'state' ? stateNotes(node) : regionNotes(node);
  return { id: node.id, kind, x: laid.x ?? 0, y: laid.y ?? 0, width: laid.width ?? 0, height: laid.height ?? 0, title, notes, description: node.description };
}

function labelOf(label: ElkLabel | undefined, edge: ChartEdge): LabelBox {
  const lines = labelLines(edge);
  const size = labelSize(lines);
  return { x: label?.x ?? 0, y: label?.y ?? 0, width: label?.width ?? size.width, height: label?.height ?? size.height, lines };
}

function pointsOf(edge: ElkExtendedEdge): Array<{ x: number; y: number }> {
  return (edge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]).map(({ x, y }) => ({ x, y }));
}

/** One line per event, with its guard: `procedure_done [doneClosesRun]`. */
export function labelLines(edge: ChartEdge): string[] {
  return edge.events.map((event) => (event.guard === null ? event.event : `${event.event} [${event.guard}]`));
}

function stateNotes(node: ChartNode): string[] {
  return node.internal.length === 0 ? [] : wrapNotes(node.internal);
}

function regionNotes(node: ChartNode): string[] {
  return node.internal.length === 0 ? [] : [`also: ${node.internal.join(', ')}`];
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

function allChartNodes(node: ChartNode): ChartNode[] {
  return [node, ...node.children.flatMap(allChartNodes)];
}

function parentsOf(root: ChartNode): Map<string, string | null> {
  const parents = new Map<string, string | null>([[root.id, null]]);
  const visit = (node: ChartNode) => {
    for (const child of node.children) {
      parents.set(child.id, node.id);
      visit(child);
    }
  };
  visit(root);
  return parents;
}

/**
 * Where ELK wants an edge declared: the lowest node that holds both ends, a node holding itself (a
 * self loop and an edge between siblings: their parent; from a compound state into its own
 * child: that state).
 */
function commonContainer(source: string, target: string, parents: ReadonlyMap<string, string | null>): string {
  if (source === target) return parents.get(source) ?? DRAWING;
  const chain = (id: string) => {
    const ids: string[] = [];
    for (let at: string | null | undefined = id; at !== null && at !== undefined; at = parents.get(at)) ids.push(at);
    return ids;
  };
  const sourceChain = chain(source);
  return chain(target).find((id) => sourceChain.includes(id)) ?? DRAWING;
}
