import type { Monitor } from './monitor.ts';
import { isAcquisition } from './run-rules.ts';
import type { Alert, CurrentStep, Run, RunOutcome, WaitingForUser } from './monitor-types.ts';

export type InstrumentActivity = 'software_off' | 'idle' | 'running' | 'acquiring';

/** What a person asks of the instrument, answered from the machine alone (JSON-serialisable). */
export interface InstrumentStatus {
  /** Free: no run in progress and nobody logged in. */
  availability: 'free' | 'busy';
  activity: InstrumentActivity;
  /** One line for people: "Acquiring well A1 for jsmith (step 3)". */
  summary: string;
  /** When the current activity began. */
  since: string | null;
  software: { running: boolean; since: string | null; logFile: string | null };
  user: { name: string; since: string } | null;
  run: {
    id: string;
    procedure: string;
    source: Run['source'];
    startedAt: string;
    user: string | null;
    well: string | null;
    step: CurrentStep | null;
    steps: number;
    waitingForUser: WaitingForUser | null;
    stopRequested: boolean;
    fcsFiles: number;
    bubbles: number;
    largeBubbles: number;
    qc: Run['qc'];
  } | null;
  lastRun: { id: string; procedure: string; startedAt: string; endedAt: string | null; outcome: RunOutcome | null; user: string | null } | null;
  lastProblem: { kind: Alert['kind']; at: string; message: string; resolved: boolean } | null;
  openAlerts: Array<{ id: string; kind: Alert['kind']; raisedAt: string; message: string }>;
  instrument: { serialNumber: string | null; model: string | null };
  /** Time of the last event the machine saw. */
  asOf: string | null;
}

/** The status of a monitor's instrument now (as of its last event). */
export function instrumentStatus(monitor: Pick<Monitor, 'snapshot' | 'facts' | 'lastEventAt'>): InstrumentStatus {
  const snapshot = monitor.snapshot;
  const context = snapshot.context;
  const run = context.run;
  const activity: InstrumentActivity = snapshot.matches({ instrument: 'softwareOff' })
    ? 'software_off'
    : run !== null && isAcquisition(run.procedure)
      ? 'acquiring'
      : run !== null
        ? 'running'
        : 'idle';
  const session = context.session;
  const openIds = new Set(context.openAlerts.map((alert) => alert.id));
  const lastProblem = context.lastProblem;
  return {
    availability: run === null && session === null ? 'free' : 'busy',
    activity,
    summary: summarise(activity, run, session?.user ?? null),
    since: run?.startedAt ?? context.idleSince ?? null,
    software: { running: context.logFile !== null, since: context.softwareSince, logFile: context.logFile },
    user: session === null ? null : { name: session.user, since: session.startedAt },
    run:
      run === null
        ? null
        : {
            id: run.id,
            procedure: run.procedure,
            source: run.source,
            startedAt: run.startedAt,
            user: run.user,
            well: run.well,
            step: run.step,
            steps: run.steps,
            waitingForUser: run.waitingFor,
            stopRequested: run.stopRequested,
            fcsFiles: run.fcsFiles,
            bubbles: run.bubbles,
            largeBubbles: run.largeBubbles,
            qc: run.qc,
          },
    lastRun:
      context.lastRun === null
        ? null
        : {
            id: context.lastRun.id,
            procedure: context.lastRun.procedure,
            startedAt: context.lastRun.startedAt,
            endedAt: context.lastRun.endedAt,
            outcome: context.lastRun.outcome,
            user: context.lastRun.user,
          },
    lastProblem: lastProblem === null ? null : { kind: lastProblem.kind, at: lastProblem.raisedAt, message: lastProblem.message, resolved: !openIds.has(lastProblem.id) },
    openAlerts: context.openAlerts.map((alert) => ({ id: alert.id, kind: alert.kind, raisedAt: alert.raisedAt, message: alert.message })),
    instrument: {
      serialNumber: monitor.facts['Instrument_Serial_Number'] ?? null,
      model: monitor.facts['Instrument_Model_Number'] ?? null,
    },
    asOf: monitor.lastEventAt,
  };
}

function summarise(activity: InstrumentActivity, run: Run | null, user: string | null): string {
  const forUser = user !== null ? ` for ${user}` : '';
  if (run === null) {
    if (activity === 'software_off') return 'Attune software not running';
    return user !== null ? `Idle, ${user} logged in` : 'Idle, nobody logged in';
  }
  const what =
    activity === 'acquiring' ? (run.well !== null ? `Acquiring well ${run.well}` : 'Acquiring a tube') : `Running ${run.procedure}${run.source === 'inferred' ? ' (automatic)' : ''}`;
  const step = run.step !== null ? ` (step ${run.step.line}${run.step.function !== run.procedure ? ` of ${run.step.function}` : ''})` : '';
  const waiting = run.waitingFor !== null ? `; waiting for the user: ${run.waitingFor.action}` : '';
  return `${what}${forUser}${step}${waiting}`;
}
