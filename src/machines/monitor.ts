import { createActor, type Actor, type Snapshot } from 'xstate';
import { monitorMachine, type MonitorMachine } from './monitor-machine.ts';
import type { MonitorContext, MonitorEvent, MonitorOutput } from './monitor-types.ts';

/** What survives a restart: the machine's persisted snapshot and the time of the last event fed. */
export interface PersistedMonitor {
  machine: Snapshot<unknown>;
  lastEventAt: string | null;
}

export type MonitorSnapshot = ReturnType<Actor<MonitorMachine>['getSnapshot']>;

/**
 * One instrument's machine, fed one event at a time; each `send` returns what the machine
 * announced. Deterministic: the same events from the same snapshot give the same outputs.
 */
export class Monitor {
  private readonly actor: Actor<MonitorMachine>;
  private pending: MonitorOutput[] = [];
  private lastAt: string | null;

  constructor(persisted?: PersistedMonitor) {
    this.actor = createActor(monitorMachine, persisted ? { snapshot: persisted.machine } : {});
    this.lastAt = persisted?.lastEventAt ?? null;
    this.actor.on('*', (output) => {
      this.pending.push(output as MonitorOutput);
    });
    this.actor.start();
  }

  send(event: MonitorEvent): MonitorOutput[] {
    const previousFile = this.context.logFile;
    if (event.type === 'log_opened' && previousFile !== null && previousFile !== event.source.file) {
      // A new launch means the previous one ended, even when its file's end was never seen
      // (a file imported on its own, with no newer one beside it): rule 7 at its last event.
      this.deliver({ type: 'log_ended', at: this.lastAt ?? event.at, source: { file: previousFile, offset: -1, index: 0, line: 0 } });
    }
    this.deliver(event);
    this.lastAt = event.at;
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

  get lastEventAt(): string | null {
    return this.lastAt;
  }

  persist(): PersistedMonitor {
    return { machine: this.actor.getPersistedSnapshot(), lastEventAt: this.lastAt };
  }

  private deliver(event: MonitorEvent): void {
    this.actor.send(event);
    const snapshot = this.actor.getSnapshot();
    if (snapshot.status === 'error') throw snapshot.error instanceof Error ? snapshot.error : new Error(String(snapshot.error));
  }
}
