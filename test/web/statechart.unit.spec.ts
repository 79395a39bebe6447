import { createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { monitorMachine } from '../../src/machines/monitor-machine.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import { activeStateIds, chartGraph, chartNodes, type ChartGraph } from '../../src/web/statechart/chart-graph.ts';
import { layoutChart, type Box } from '../../src/web/statechart/chart-layout.ts';
import { chartSvg } from '../../src/web/statechart/chart-svg.ts';
import { overlappingPairs, routesThroughBoxes } from '../support/chart-crossings.ts';

const graph = chartGraph(monitorMachine.root);

function events(g: ChartGraph, source: string, target: string): string[] {
  return g.edges.find((edge) => edge.source === `monitor.${source}` && edge.target === `monitor.${target}`)?.events.map((e) => (e.guard === null ? e.event : `${e.event} [${e.guard}]`)) ?? [];
}

describe('the statechart read from the machine definition', () => {
  it('has the machine’s regions and states, in the definition’s order', () => {
    expect(chartNodes(graph.root).map((node) => `${node.id}:${node.type}`)).toEqual([
      'monitor:parallel',
      'monitor.instrument:compound',
      'monitor.instrument.softwareOff:atomic',
      'monitor.instrument.idle:atomic',
      'monitor.instrument.running:atomic',
      'monitor.instrument.acquiring:atomic',
      'monitor.instrument.waitingForUser:atomic',
      'monitor.session:compound',
      'monitor.session.loggedOut:atomic',
      'monitor.session.loggedIn:atomic',
    ]);
    expect(graph.root.children.map((region) => region.initial)).toEqual(['monitor.instrument.softwareOff', 'monitor.session.loggedOut']);
  });

  it('has one edge per pair of states, with every event and guard of it', () => {
    expect(events(graph, 'instrument.softwareOff', 'instrument.idle')).toEqual(['log_opened']);
    expect(events(graph, 'instrument.idle', 'instrument.acquiring')).toEqual(['procedure_started [startsAcquisition]', 'step [startsAcquisition]']);
    expect(events(graph, 'instrument.running', 'instrument.idle')).toEqual(['procedure_done [doneClosesRun]', 'instrument_idle']);
    expect(events(graph, 'session.loggedIn', 'session.loggedIn')).toEqual(['login']);
    const running = chartNodes(graph.root).find((node) => node.id === 'monitor.instrument.running');
    expect(running?.internal).toEqual(['stop_requested', 'fcs_file_saved', 'bubble_detected', 'large_bubble', 'step']);
    expect(graph.root.children[0]?.internal).toEqual(['acquisition_initiated', 'qc_started']);
  });

  it('draws a state added to the machine, with its transitions, without any change to the drawing code', async () => {
    const config = monitorMachine.config;
    const instrument = config.states!['instrument']!;
    const extended = createMachine({
      ...config,
      states: {
        ...config.states,
        instrument: {
          ...instrument,
          states: {
            ...instrument.states,
            idle: { ...instrument.states!['idle'], on: { ...instrument.states!['idle']!.on, deep_clean_started: 'deepCleaning' } },
            deepCleaning: { description: 'A deep clean runs.', on: { procedure_done: 'idle' } },
          },
        },
      },
    } as typeof config);
    const extendedGraph = chartGraph(extended.root);
    expect(chartNodes(extendedGraph.root).map((node) => node.id)).toContain('monitor.instrument.deepCleaning');
    expect(events(extendedGraph, 'instrument.idle', 'instrument.deepCleaning')).toEqual(['deep_clean_started']);
    expect(events(extendedGraph, 'instrument.deepCleaning', 'instrument.idle')).toEqual(['procedure_done']);
    const svg = chartSvg(await layoutChart(extendedGraph));
    expect(svg).toContain('data-state="monitor.instrument.deepCleaning"');
    expect(svg).toContain('data-edge="monitor.instrument.idle-&gt;monitor.instrument.deepCleaning"');
    expect(svg).toContain('<title>A deep clean runs.</title>');
    expect(chartSvg(await layoutChart(graph))).not.toContain('deepCleaning');
  });

  it('lays states out with ELK: no overlaps, each inside its region, from the initial state down', async () => {
    const layout = await layoutChart(graph);
    const states = layout.boxes.filter((box) => box.kind === 'state');
    const regions = layout.boxes.filter((box) => box.kind === 'region');
    expect(states).toHaveLength(7);
    expect(overlappingPairs(states)).toEqual([]);
    for (const state of states) {
      const region = regions.find((box) => state.id.startsWith(`${box.id}.`));
      expect(region && inside(state, region), `${state.id} inside its region`).toBe(true);
    }
    const y = (id: string) => states.find((box) => box.id === `monitor.${id}`)!.y;
    expect(y('instrument.softwareOff')).toBeLessThan(y('instrument.idle'));
    expect(y('instrument.idle')).toBeLessThan(y('instrument.running'));
    expect(y('session.loggedOut')).toBeLessThan(y('session.loggedIn'));
    expect(layout.edges).toHaveLength(graph.edges.length);
    expect(layout.initials.map((marker) => marker.parent)).toEqual(['monitor.instrument', 'monitor.session']);
  });

  it('routes every edge around the states, orthogonally, its label clear of the states and of other labels', async () => {
    const layout = await layoutChart(graph);
    const states = layout.boxes.filter((box) => box.kind === 'state');
    expect(routesThroughBoxes(layout.edges, states)).toEqual([]);
    for (const edge of layout.edges) {
      for (let i = 1; i < edge.points.length; i++) {
        const [a, b] = [edge.points[i - 1]!, edge.points[i]!];
        expect(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01, `${edge.id} segment ${i} is straight`).toBe(true);
      }
    }
    const labels = layout.edges.map((edge) => ({ id: `label of ${edge.id}`, ...edge.label }));
    expect(overlappingPairs(labels)).toEqual([]);
    expect(overlappingPairs([...labels, ...states]).filter((pair) => pair.includes('/ monitor.'))).toEqual([]);
  });

  it('names the active states of a snapshot value as the drawing does', () => {
    expect(activeStateIds('monitor', { instrument: 'idle', session: 'loggedIn' })).toEqual(['monitor.instrument.idle', 'monitor.session.loggedIn']);
    expect(activeStateIds('monitor', new Monitor().snapshot.value)).toEqual(['monitor.instrument.softwareOff', 'monitor.session.loggedOut']);
  });

  it('escapes what it writes into the SVG', async () => {
    const svg = chartSvg(await layoutChart(chartGraph({ id: 'm', key: 'm', type: 'atomic', description: '<script>x</script>', states: {}, transitions: new Map() })));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});

function inside(a: Box, outer: Box): boolean {
  return a.x >= outer.x && a.y >= outer.y && a.x + a.width <= outer.x + outer.width && a.y + a.height <= outer.y + outer.height;
}
