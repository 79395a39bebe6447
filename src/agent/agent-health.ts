// The agent's current problems, one per area, so a heartbeat can say what is wrong now (not what
// went wrong once) and a problem clears itself when its area recovers.

export type ProblemArea = 'logs' | 'log_file' | 'outbox' | 'quarantine' | 'state' | 'sender' | 'server' | 'heartbeat';

const ORDER: readonly ProblemArea[] = ['logs', 'log_file', 'outbox', 'quarantine', 'state', 'sender', 'server', 'heartbeat'];

export class AgentHealth {
  private readonly problems = new Map<ProblemArea, string>();

  /** Sets or clears an area's problem; true when that changed something (log only changes). */
  set(area: ProblemArea, message: string | null): boolean {
    const before = this.problems.get(area) ?? null;
    if (message === null) this.problems.delete(area);
    else this.problems.set(area, message);
    return before !== message;
  }

  get(area: ProblemArea): string | null {
    return this.problems.get(area) ?? null;
  }

  /** All current problems in one line, or null when there are none. */
  summary(): string | null {
    const parts = ORDER.flatMap((area) => {
      const message = this.problems.get(area);
      return message === undefined ? [] : [`${area}: ${message}`];
    });
    return parts.length === 0 ? null : parts.join('; ').slice(0, 2000);
  }
}
