import type { Alert, MonitorOutput, Run, Session } from '../machines/monitor-types.ts';

/** Runs, sessions and alerts, as the machine announced them (open ones have no end). */
export interface RunsReport {
  runs: Run[];
  sessions: Session[];
  alerts: Alert[];
}

/** Folds machine outputs into the report: a closed run replaces its open self, and so on. */
export class RunsReportCollector {
  private readonly runs: Run[] = [];
  private readonly sessions: Session[] = [];
  private openSession = -1;
  private readonly alerts: Alert[] = [];

  add(outputs: readonly MonitorOutput[]): void {
    for (const output of outputs) this.addOne(output);
  }

  /** The report; an open run is shown as it stands now (`current`, the machine's open run). */
  report(current: Run | null = null): RunsReport {
    const runs = [...this.runs];
    const at = current === null ? -1 : lastIndexWithId(runs, current.id);
    if (current !== null && at >= 0) runs[at] = current;
    return { runs, sessions: [...this.sessions], alerts: [...this.alerts] };
  }

  private addOne(output: MonitorOutput): void {
    switch (output.type) {
      case 'run_opened':
        this.runs.push(output.run);
        return;
      case 'run_closed': {
        const at = lastIndexWithId(this.runs, output.run.id);
        if (at < 0) this.runs.push(output.run);
        else this.runs[at] = output.run;
        return;
      }
      case 'session_opened':
        this.openSession = this.sessions.length;
        this.sessions.push(output.session);
        return;
      case 'session_closed':
        if (this.openSession >= 0) this.sessions[this.openSession] = output.session;
        else this.sessions.push(output.session);
        this.openSession = -1;
        return;
      case 'alert_raised':
        this.alerts.push(output.alert);
        return;
      case 'alert_resolved': {
        const at = lastIndexWithId(this.alerts, output.alert.id);
        if (at < 0) this.alerts.push(output.alert);
        else this.alerts[at] = output.alert;
        return;
      }
      default: {
        const never: never = output;
        throw new Error(`unknown output ${JSON.stringify(never)}`);
      }
    }
  }
}

/**
 * Where the item with this id was last added. The machine has one run open at a time and settles
 * alerts soon after raising them, so the search from the end nearly always stops at once (cheaper
 * than a map of ids, which hashed every run's id string).
 */
function lastIndexWithId(items: ReadonlyArray<{ id: string }>, id: string): number {
  for (let i = items.length - 1; i >= 0; i--) if ((items[i] as { id: string }).id === id) return i;
  return -1;
}

/** Seconds from `start` to `end` (UTC ISO), null while open. */
function durationS(start: string, end: string | null): number | null {
  return end === null ? null : (Date.parse(end) - Date.parse(start)) / 1000;
}

/** The `runs --json` shape (snake_case, UTC times): every field the table shows, and more. */
export function runsReportJson(report: RunsReport) {
  return {
    runs: report.runs.map((run) => ({
      procedure: run.procedure,
      source: run.source,
      started_at: run.startedAt,
      ended_at: run.endedAt,
      duration_s: durationS(run.startedAt, run.endedAt),
      outcome: run.outcome,
      outcome_code: run.outcomeCode,
      user: run.user,
      well: run.well,
      log_file: run.logFile,
      steps: run.steps,
      fcs_files: run.fcsFiles,
    })),
    sessions: report.sessions.map((session) => ({
      user: session.user,
      started_at: session.startedAt,
      ended_at: session.endedAt,
      duration_s: durationS(session.startedAt, session.endedAt),
      end_reason: session.endReason,
    })),
    alerts: report.alerts.map((alert) => ({
      kind: alert.kind,
      raised_at: alert.raisedAt,
      resolved_at: alert.resolvedAt,
      message: alert.message,
      procedure: alert.procedure,
      well: alert.well,
      user: alert.user,
    })),
  };
}
