/**
 * The statechart as plain data, read from a machine's own state nodes at run time: the drawing
 * is generated from the definition the monitor runs, so it cannot drift from it.
 */

/** The part of an XState v5 state node this reads (`machine.root` and its `states`). */
export interface DefinitionNode {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  description?: string;
  states: Record<string, DefinitionNode>;
  initial?: { target: ReadonlyArray<{ id: string }> };
  transitions: ReadonlyMap<string, ReadonlyArray<{ target: ReadonlyArray<{ id: string }> | undefined; guard?: unknown; reenter: boolean }>>;
}

export interface ChartEvent {
  event: string;
  /** The guard's name when the transition is guarded (the first matching one is taken). */
  guard: string | null;
}

export interface ChartNode {
  id: string;
  key: string;
  type: DefinitionNode['type'];
  description: string | null;
  /** Id of the initial child of a compound state. */
  initial: string | null;
  children: ChartNode[];
  /** Events handled here without a target: they change the context, never the state. */
  internal: string[];
}

/** Every transition from `source` to `target`, one edge per pair of states. */
export interface ChartEdge {
  id: string;
  source: string;
  target: string;
  events: ChartEvent[];
}

export interface ChartGraph {
  root: ChartNode;
  edges: ChartEdge[];
}

export function edgeId(source: string, target: string): string {
  return `${source}->${target}`;
}

export function chartGraph(root: DefinitionNode): ChartGraph {
  const edges = new Map<string, ChartEdge>();
  const visit = (node: DefinitionNode): ChartNode => {
    const internal: string[] = [];
    for (const [event, definitions] of node.transitions) {
      for (const definition of definitions) {
        const targets = definition.target ?? [];
        if (targets.length === 0) {
          if (!internal.includes(event)) internal.push(event);
          continue;
        }
        for (const target of targets) {
          const id = edgeId(node.id, target.id);
          let edge = edges.get(id);
          if (edge === undefined) {
            edge = { id, source: node.id, target: target.id, events: [] };
            edges.set(id, edge);
          }
          edge.events.push({ event, guard: guardName(definition.guard) });
        }
      }
    }
    return {
      id: node.id,
      key: node.key,
      type: node.type,
      description: node.description ?? null,
      initial: node.type === 'compound' ? (node.initial?.target[0]?.id ?? null) : null,
      children: Object.values(node.states).map(visit),
      internal,
    };
  };
  const chartRoot = visit(root);
  return { root: chartRoot, edges: [...edges.values()] };
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name === '' ? 'guard' : guard.name;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'guard';
}

/**
 * The ids of the atomic states active in a snapshot `value` (`{instrument: 'idle', session:
 * 'loggedOut'}` → `monitor.instrument.idle`, `monitor.session.loggedOut`), ids as XState makes them.
 */
export function activeStateIds(rootId: string, value: unknown): string[] {
  if (typeof value === 'string') return [`${rootId}.${value}`];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const id = `${rootId}.${key}`;
    const below = activeStateIds(id, child);
    // A compound state with no active child yet (an empty object) is itself the leaf.
    return below.length === 0 ? [id] : below;
  });
}

/** All nodes of the graph, depth first. */
export function chartNodes(node: ChartNode): ChartNode[] {
  return [node, ...node.children.flatMap(chartNodes)];
}
