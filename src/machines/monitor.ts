import { createActor, type Actor, type Snapshot } from 'xstate';
import type { LogEvent } from '../events/log-events.ts';
import { monitorMachine, type MonitorMachine } from './monitor-machine.ts';
import type { MachineEvent, MonitorContext, MonitorEvent, MonitorOutput } from './monitor-types.ts';
import { StepFolder, toMonitorEvent } from './step-folding.ts';

/** What survives a restart: the machine's persisted snapshot, the instrument facts, the last event time. */
export interface PersistedMonitor {
  machine: Snapshot<unknown>;
  facts: Record<string, string>;
  lastEventAt: string | null;
}

export type MonitorSnapshot = ReturnType<Actor<MonitorMachine>['getSnapshot']>;

/**
 * One instrument's machine and facts. Deterministic: the same events from the same persisted
 * state give the same outputs. `feed` takes log events one at a time (live); `feedBulk` folds
 * consecutive steps and saved files first (import, replay), with the same results.
 */
export class Monitor {
  private readonly actor: Actor<MonitorMachine>;
  private readonly factsByKey: Record<string, string>;
  private readonly folder = new StepFolder();
  private readonly folded: MonitorEvent[] = [];
  private pending: MonitorOutput[] = [];
  private lastAt: string | null;
  private acceptedFor: MonitorSnapshot['_nodes'] | null = null;
  private accepted = new Set<string>();

  constructor(persisted?: PersistedMonitor) {
    this.actor = createActor(monitorMachine, persisted ? { snapshot: persisted.machine } : {});
    this.factsByKey = { ...persisted?.facts };
    this.lastAt = persisted?.lastEventAt ?? null;
    this.actor.on('*', (output) => {
      this.pending.push(output as MonitorOutput);
    });
    this.actor.start();
  }

  /** One log event, as it arrives. */
  feed(event: LogEvent): MonitorOutput[] {
    const input = toMonitorEvent(event);
    return input === null ? [] : this.send(input);
  }

  /** Log events read in bulk; call `flushBulk` at the end (a fold may be held back). */
  feedBulk(events: readonly LogEvent[], outputs: MonitorOutput[] = []): MonitorOutput[] {
    for (const event of events) this.folder.push(event, this.folded);
    return this.sendFolded(outputs);
  }

  flushBulk(outputs: MonitorOutput[] = []): MonitorOutput[] {
    this.folder.flush(this.folded);
    return this.sendFolded(outputs);
  }

  send(event: MonitorEvent): MonitorOutput[] {
    if (event.type === 'instrument_fact') {
      this.factsByKey[event.key] = event.value;
      this.lastAt = event.at;
      return [];
    }
    const previousFile = this.context.logFile;
    if (event.type === 'log_opened' && previousFile !== null && previousFile !== event.source.file) {
      // A new launch means the previous one ended, even when its file's end was never seen
      // (a file imported on its own, with no newer one beside it): rule 7 at its last event.
      this.deliver({ type: 'log_ended', at: this.lastAt ?? event.at, source: { file: previousFile, offset: -1, index: 0, line: 0 } });
    }
    this.lastAt = event.at;
    this.deliver(event);
    const out = this.pending;
    this.pending = [];
    return out;
  }

  get snapshot(): MonitorSnapshot {
    return this.actor.getSnapshot();
  }

  get context(): MonitorContext {
    return this.actor.getSnapshot().context;
  }

  get facts(): Readonly<Record<string, string>> {
    return this.factsByKey;
  }

  get lastEventAt(): string | null {
    return this.lastAt;
  }

  persist(): PersistedMonitor {
    return { machine: this.actor.getPersistedSnapshot(), facts: { ...this.factsByKey }, lastEventAt: this.lastAt };
  }

  private sendFolded(outputs: MonitorOutput[]): MonitorOutput[] {
    for (const event of this.folded) outputs.push(...this.send(event));
    this.folded.length = 0;
    return outputs;
  }

  private deliver(event: MachineEvent): void {
    // An event no active state has a transition for changes nothing: it is not sent, which
    // spares the interpreter most of the lines that mean nothing in the current state.
    if (!this.accepts(event.type)) return;
    this.actor.send(event);
    const snapshot = this.actor.getSnapshot();
    if (snapshot.status === 'error') throw snapshot.error instanceof Error ? snapshot.error : new Error(String(snapshot.error));
  }

  private accepts(type: string): boolean {
    const nodes = this.actor.getSnapshot()._nodes;
    // Most events leave the states as they were: the last answer is kept for the same nodes.
    if (nodes !== this.acceptedFor) {
      this.acceptedFor = nodes;
      this.accepted = acceptedEventTypes(nodes);
    }
    return this.accepted.has(type);
  }
}

// Per configuration of states (the few a machine has, compared node by node: XState makes a new
// array at each change of state), so the definition is read once per configuration.
const acceptedByConfiguration: Array<{ nodes: MonitorSnapshot['_nodes']; types: Set<string> }> = [];

/** Event types some active state node has a transition for (read from the machine definition). */
function acceptedEventTypes(nodes: MonitorSnapshot['_nodes']): Set<string> {
  const known = acceptedByConfiguration.find((entry) => entry.nodes.length === nodes.length && entry.nodes.every((node, i) => node === nodes[i]));
  if (known !== undefined) return known.types;
  const types = new Set(nodes.flatMap((node) => node.ownEvents));
  if (types.has('*')) throw new Error('wildcard transitions would defeat the accepted-event filter');
  if (acceptedByConfiguration.length < 64) acceptedByConfiguration.push({ nodes, types });
  return types;
}
