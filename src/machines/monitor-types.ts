import type { FcsFileSaved, InstrumentFact, LineUnparsed, LogEvent, StepExecuted } from '../events/log-events.ts';

/**
 * Step lines, possibly several consecutive ones folded into one event: `function`, `line` and
 * `at` are the last one's, `source` the first one's.
 */
export interface StepBatch extends StepExecuted {
  /** How many step lines this stands for (1 when not folded). */
  count: number;
  /** Time and function of the first of them. */
  firstAt: string;
  firstFunction: string;
}

/** Saved FCS files, possibly several consecutive ones folded into one event. */
export interface FcsFilesSaved extends Omit<FcsFileSaved, 'type'> {
  type: 'fcs_file_saved';
  count: number;
}

/** What the machine is fed: the log events that move state, steps and saved files maybe folded. */
export type MachineEvent = Exclude<LogEvent, StepExecuted | LineUnparsed | InstrumentFact | FcsFileSaved> | StepBatch | FcsFilesSaved;

/** What a `Monitor` is fed: machine events, and instrument facts, which it keeps beside the machine. */
export type MonitorEvent = MachineEvent | InstrumentFact;

export type RunSource = 'logged' | 'inferred';
export type RunOutcome = 'completed' | 'cancelled' | 'failed' | 'unconfirmed' | 'interrupted';

export interface CurrentStep {
  function: string;
  line: number;
  since: string;
}

export interface WaitingForUser {
  action: string;
  since: string;
}

/** A procedure run, open (`endedAt` null) or closed. */
export interface Run {
  /** Stable id: the log file and byte offset of the line that opened it. */
  id: string;
  procedure: string;
  source: RunSource;
  startedAt: string;
  endedAt: string | null;
  outcome: RunOutcome | null;
  outcomeCode: string | null;
  user: string | null;
  /** Plate well of an acquisition, null for a tube or another procedure. */
  well: string | null;
  logFile: string;
  steps: number;
  step: CurrentStep | null;
  waitingFor: WaitingForUser | null;
  stopRequested: boolean;
  fcsFiles: number;
  bubbles: number;
  largeBubbles: number;
  /** Set when QC or a baseline was started for this run. */
  qc: { kind: 'qc_engine' | 'baseline'; beadlot: string | null } | null;
}

export type SessionEndReason = 'logout' | 'software_exit' | 'next_login';

export interface Session {
  user: string;
  startedAt: string;
  endedAt: string | null;
  endReason: SessionEndReason | null;
}

/** Alerts the log itself reveals; the server adds connectivity alerts of its own. */
export type LogAlertKind = 'bubble' | 'large_bubble' | 'procedure_failed' | 'procedure_interrupted';

export interface Alert {
  /** Stable id: kind and the run it belongs to. */
  id: string;
  kind: LogAlertKind;
  raisedAt: string;
  resolvedAt: string | null;
  runId: string | null;
  procedure: string | null;
  well: string | null;
  user: string | null;
  message: string;
}

/** What the machine announces as it moves: the facts the projections are made of. */
export type MonitorOutput =
  | { type: 'run_opened'; run: Run }
  | { type: 'run_closed'; run: Run }
  | { type: 'session_opened'; session: Session }
  | { type: 'session_closed'; session: Session }
  | { type: 'alert_raised'; alert: Alert }
  | { type: 'alert_resolved'; alert: Alert };

export interface MonitorContext {
  /** The log file of the running software, null when it is not running. */
  logFile: string | null;
  softwareSince: string | null;
  idleSince: string | null;
  run: Run | null;
  lastRun: Run | null;
  /** Rule 9: the well of the next acquisition (`null` = tube), undefined when none was asked for. */
  nextWell: string | null | undefined;
  nextQc: Run['qc'];
  session: Session | null;
  openAlerts: Alert[];
  lastProblem: Alert | null;
}

export function initialContext(): MonitorContext {
  return {
    logFile: null,
    softwareSince: null,
    idleSince: null,
    run: null,
    lastRun: null,
    nextWell: undefined,
    nextQc: null,
    session: null,
    openAlerts: [],
    lastProblem: null,
  };
}
