import { createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { monitorMachine } from '../../src/machines/monitor-machine.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import { activeStateIds, chartGraph, chartNodes, type ChartGraph } from '../../src/web/statechart/chart-graph.ts';
import { arcLevels, layoutChart, type Box } from '../../src/web/statechart/chart-layout.ts';
import { chartSvg } from '../../src/web/statechart/chart-svg.ts';

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

  it('draws a state added to the machine, with its transitions, without any change to the drawing code', () => {
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
    const svg = chartSvg(layoutChart(extendedGraph));
    expect(svg).toContain('data-state="monitor.instrument.deepCleaning"');
    expect(svg).toContain('data-edge="monitor.instrument.idle-&gt;monitor.instrument.deepCleaning"');
    expect(svg).toContain('<title>A deep clean runs.</title>');
    expect(chartSvg(layoutChart(graph))).not.toContain('deepCleaning');
  });

  it('lays states out without overlaps, each inside its region, the initial state first', () => {
    const layout = layoutChart(graph);
    const states = layout.boxes.filter((box) => box.kind === 'state');
    const regions = layout.boxes.filter((box) => box.kind === 'region');
    expect(states).toHaveLength(7);
    for (const [i, a] of states.entries()) {
      for (const b of states.slice(i + 1)) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
      const region = regions.find((box) => a.id.startsWith(`${box.id}.`));
      expect(region && inside(a, region), `${a.id} inside its region`).toBe(true);
    }
    const instrumentRow = states.filter((box) => box.id.startsWith('monitor.instrument.'));
    expect(instrumentRow.map((box) => box.title)).toEqual(['softwareOff', 'idle', 'acquiring', 'running', 'waitingForUser']);
    expect(layout.edges).toHaveLength(graph.edges.length);
    expect(layout.initials.map((marker) => marker.parent)).toEqual(['monitor.instrument', 'monitor.session']);
  });

  it('raises an arc above every arc it spans on the same side', () => {
    expect(arcLevels([{ from: 0, to: 1 }, { from: 0, to: 3 }, { from: 1, to: 2 }, { from: 3, to: 0 }, { from: 2, to: 2 }])).toEqual([1, 2, 1, 1, 1]);
    expect(arcLevels([{ from: 0, to: 1 }, { from: 1, to: 2 }, { from: 0, to: 2 }, { from: 0, to: 4 }])).toEqual([1, 1, 2, 3]);
  });

  it('names the active states of a snapshot value as the drawing does', () => {
    expect(activeStateIds('monitor', { instrument: 'idle', session: 'loggedIn' })).toEqual(['monitor.instrument.idle', 'monitor.session.loggedIn']);
    expect(activeStateIds('monitor', new Monitor().snapshot.value)).toEqual(['monitor.instrument.softwareOff', 'monitor.session.loggedOut']);
  });

  it('escapes what it writes into the SVG', () => {
    const svg = chartSvg(layoutChart(chartGraph({ id: 'm', key: 'm', type: 'atomic', description: '<script>x</script>', states: {}, transitions: new Map() })));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(a: Box, outer: Box): boolean {
  return a.x >= outer.x && a.y >= outer.y && a.x + a.width <= outer.x + outer.width && a.y + a.height <= outer.y + outer.height;
}
