import type { SourceKey } from '../events/log-events.ts';
import type { Alert, LogAlertKind, MonitorContext, MonitorOutput, Run, RunOutcome, RunSource, SessionEndReason } from './monitor-types.ts';

// The context side of the rules for procedure runs (docs/attune-logs.md §4): pure functions from the
// context and an event's facts to the next context and what it announces. The statechart in
// monitor-machine.ts decides *when* each applies; these say *what* it does.

export interface Change {
  context: MonitorContext;
  outputs: MonitorOutput[];
}

export function runId(source: SourceKey): string {
  return `${source.file}@${source.offset}`;
}

/** Rule 2: `0` completed, `FUNCTION_CANCELLED` cancelled, anything else failed. */
export function outcomeOfCode(code: string): RunOutcome {
  if (code === '0' || code === '+0' || code === '-0') return 'completed';
  if (code === 'FUNCTION_CANCELLED') return 'cancelled';
  return 'failed';
}

export function isAcquisition(procedure: string): boolean {
  return procedure === 'Acquisition';
}

/** Rules 1, 9, 10: a run opens with the user logged in at that moment and, for an acquisition, its well. */
export function openRun(context: MonitorContext, procedure: string, source: RunSource, at: string, key: SourceKey): Change {
  const acquisition = isAcquisition(procedure);
  const run: Run = {
    id: runId(key),
    procedure,
    source,
    startedAt: at,
    endedAt: null,
    outcome: null,
    outcomeCode: null,
    user: context.session?.user ?? null,
    well: acquisition ? (context.nextWell ?? null) : null,
    logFile: key.file,
    steps: 0,
    step: null,
    waitingFor: null,
    stopRequested: false,
    fcsFiles: 0,
    bubbles: 0,
    largeBubbles: 0,
    qc: context.nextQc,
  };
  return {
    context: { ...context, run, idleSince: null, nextWell: acquisition ? undefined : context.nextWell, nextQc: null },
    outputs: [{ type: 'run_opened', run }],
  };
}

/** Closes the open run (rules 2, 5, 6, 7) and settles the alerts that hang on it. */
export function closeRun(context: MonitorContext, at: string, outcome: RunOutcome, code: string | null): Change {
  const open = context.run;
  if (open === null) return { context, outputs: [] };
  const run: Run = { ...open, endedAt: at, outcome, outcomeCode: code, waitingFor: null };
  const outputs: MonitorOutput[] = [{ type: 'run_closed', run }];
  let next: MonitorContext = { ...context, run: null, lastRun: run, idleSince: at };

  // Bubble alerts belong to their run: they resolve when it ends. A completed run of a procedure
  // resolves an earlier failure of that procedure.
  const resolved = resolveAlerts(next, at, (alert) =>
    alert.runId === run.id || (outcome === 'completed' && alert.kind === 'procedure_failed' && alert.procedure === run.procedure),
  );
  next = resolved.context;
  outputs.push(...resolved.outputs);

  if (outcome === 'failed' || outcome === 'interrupted') {
    const kind: LogAlertKind = outcome === 'failed' ? 'procedure_failed' : 'procedure_interrupted';
    const raised = raiseAlert(next, kind, at, run);
    next = raised.context;
    outputs.push(...raised.outputs);
  }
  return { context: next, outputs };
}

/** Rule 4: any step line while a run is open is progress of that run. */
export function recordStep(context: MonitorContext, fn: string, line: number, count: number, at: string): MonitorContext {
  const run = context.run;
  if (run === null) return context;
  return { ...context, run: { ...run, steps: run.steps + count, step: { function: fn, line, since: at }, waitingFor: null } };
}

export function updateRun(context: MonitorContext, change: (run: Run) => Partial<Run>): MonitorContext {
  return context.run === null ? context : { ...context, run: { ...context.run, ...change(context.run) } };
}

/** A bubble: counted on the run, alerted once per run (and once more when one is large). */
export function recordBubble(context: MonitorContext, at: string, large: boolean): Change {
  const run = context.run;
  if (run === null) return { context, outputs: [] };
  const counted = updateRun(context, (r) => (large ? { largeBubbles: r.largeBubbles + 1 } : { bubbles: r.bubbles + 1 }));
  const kind: LogAlertKind = large ? 'large_bubble' : 'bubble';
  if (context.openAlerts.some((alert) => alert.kind === kind && alert.runId === run.id)) return { context: counted, outputs: [] };
  return raiseAlert(counted, kind, at, run);
}

/** A new launch: an interrupted run's alert is settled, the software is up and idle. */
export function launch(context: MonitorContext, at: string, logFile: string): Change {
  const resolved = resolveAlerts(context, at, (alert) => alert.kind === 'procedure_interrupted');
  return {
    context: { ...resolved.context, logFile, softwareSince: at, idleSince: at, nextWell: undefined, nextQc: null },
    outputs: resolved.outputs,
  };
}

export function softwareExit(context: MonitorContext): MonitorContext {
  return { ...context, logFile: null, softwareSince: null, idleSince: null, nextWell: undefined, nextQc: null };
}

/** Rule 11: a session opens at `login` with the user of its line. */
export function openSession(context: MonitorContext, user: string, at: string): Change {
  const session = { user, startedAt: at, endedAt: null, endReason: null };
  return { context: { ...context, session }, outputs: [{ type: 'session_opened', session }] };
}

/** Rule 11: a session closes at `logout` or at the end of its file. */
export function closeSession(context: MonitorContext, at: string, endReason: SessionEndReason): Change {
  if (context.session === null) return { context, outputs: [] };
  const session = { ...context.session, endedAt: at, endReason };
  return { context: { ...context, session: null }, outputs: [{ type: 'session_closed', session }] };
}

function raiseAlert(context: MonitorContext, kind: LogAlertKind, at: string, run: Run): Change {
  const alert: Alert = {
    id: `${kind}:${run.id}`,
    kind,
    raisedAt: at,
    resolvedAt: null,
    runId: run.id,
    procedure: run.procedure,
    well: run.well,
    user: run.user,
    message: alertMessage(kind, run),
  };
  return {
    context: { ...context, openAlerts: [...context.openAlerts, alert], lastProblem: alert },
    outputs: [{ type: 'alert_raised', alert }],
  };
}

function resolveAlerts(context: MonitorContext, at: string, matches: (alert: Alert) => boolean): Change {
  if (!context.openAlerts.some(matches)) return { context, outputs: [] };
  const outputs: MonitorOutput[] = [];
  const stillOpen: Alert[] = [];
  for (const alert of context.openAlerts) {
    if (matches(alert)) outputs.push({ type: 'alert_resolved', alert: { ...alert, resolvedAt: at } });
    else stillOpen.push(alert);
  }
  return { context: { ...context, openAlerts: stillOpen }, outputs };
}

function alertMessage(kind: LogAlertKind, run: Run): string {
  const where = run.well !== null ? ` (well ${run.well})` : isAcquisition(run.procedure) ? ' (tube)' : '';
  const who = run.user !== null ? ` by ${run.user}` : '';
  switch (kind) {
    case 'bubble':
      return `Bubble detected during ${run.procedure}${where}${who}`;
    case 'large_bubble':
      return `Large bubble during ${run.procedure}${where}${who}: the data being acquired is at risk`;
    case 'procedure_failed':
      return `${run.procedure} failed with code ${run.outcomeCode ?? '?'}${who}`;
    case 'procedure_interrupted':
      return `${run.procedure}${where} was interrupted: the Attune software stopped mid-run${who}`;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
