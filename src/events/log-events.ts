/**
 * Where an event came from: the log file, the byte offset of its line's first byte, and its index
 * within the line (a glued line yields several). Unique per instrument: the same line can never
 * count twice, whoever sends it. `log_opened` sits before the first line (offset 0, index -1);
 * `log_ended` after the last (offset = the file's length, index 0).
 */
export interface SourceKey {
  file: string;
  offset: number;
  index: number;
  /** 1-based line number (0 for `log_opened`/`log_ended`); informative, not part of the key. */
  line: number;
}

interface Base<T extends string> {
  type: T;
  /** When it happened: UTC ISO-8601 with milliseconds, from the log's local time and zone. */
  at: string;
  source: SourceKey;
}

/** The software was launched: a new `System_*.log` began. */
export interface LogOpened extends Base<'log_opened'> {}
/** The file ended (a newer one appeared, or an import of old files): the software quit or died. */
export interface LogEnded extends Base<'log_ended'> {}
/** `Event:Starting_<P>` */
export interface ProcedureStarted extends Base<'procedure_started'> {
  procedure: string;
}
/** `Instrument function <F> executing line <N>` (other than Instrument Idle). */
export interface StepExecuted extends Base<'step'> {
  function: string;
  line: number;
}
/** `Event:<P>_Done~<code>` */
export interface ProcedureDone extends Base<'procedure_done'> {
  procedure: string;
  code: string;
}
/** `Entered InstrumentFunctionManager::StopAction() during -- <P> -- STOPPING.` or `Event:Acquisition StopSampleAcquisition`. */
export interface StopRequested extends Base<'stop_requested'> {
  procedure: string;
}
/** `User Action required to continue-action="<what>"` */
export interface UserActionRequired extends Base<'user_action_required'> {
  action: string;
}
/** `… - Necessary User Actions Completed-executing function` */
export interface UserActionCompleted extends Base<'user_action_completed'> {}
/** `Instrument function Instrument Idle executing line <N>` */
export interface InstrumentIdle extends Base<'instrument_idle'> {}
/** `Acquisition initiated` (tube, well null) or `Acquisition initiated on well <W> …`. */
export interface AcquisitionInitiated extends Base<'acquisition_initiated'> {
  well: string | null;
}
/** `Data:New Bubble Detected at <n>` */
export interface BubbleDetected extends Base<'bubble_detected'> {
  position: number | null;
}
/** `BUBBLE SIZE GREATER THAN THRESHOLD!!!` */
export interface LargeBubble extends Base<'large_bubble'> {}
export interface Login extends Base<'login'> {
  user: string;
}
export interface Logout extends Base<'logout'> {
  user: string;
}
/** `Data:<Key>~<Value>`: serial number, model, lasers, firmware… */
export interface InstrumentFact extends Base<'instrument_fact'> {
  key: string;
  value: string;
}
/** `Qc Engine Initialized`, `Initiating Baseline with beadlot: …` */
export interface QcStarted extends Base<'qc_started'> {
  kind: 'qc_engine' | 'baseline';
  beadlot: string | null;
}
/** `File Saved signal received…`: an FCS file was written. */
export interface FcsFileSaved extends Base<'fcs_file_saved'> {}
/** A line that could not be read: kept for inspection, never seen by the machines. */
export interface LineUnparsed extends Base<'line_unparsed'> {
  reason: string;
}

/**
 * A line yielded more events than a line may (see line-event-limit.ts): the events past the limit
 * are not kept one by one; this says how many there were. Kept for inspection, never seen by the machines.
 */
export interface LineOverflow extends Base<'line_overflow'> {
  omitted: number;
}

/** Everything a `System_*.log` can tell the monitor. */
export type LogEvent =
  | LogOpened
  | LogEnded
  | ProcedureStarted
  | StepExecuted
  | ProcedureDone
  | StopRequested
  | UserActionRequired
  | UserActionCompleted
  | InstrumentIdle
  | AcquisitionInitiated
  | BubbleDetected
  | LargeBubble
  | Login
  | Logout
  | InstrumentFact
  | QcStarted
  | FcsFileSaved
  | LineUnparsed
  | LineOverflow;

export type LogEventType = LogEvent['type'];

/** A log event as it leaves its line: everything but where and when. */
export type LogEventPayload = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'at' | 'source'> : never) : never;

export const LOG_EVENT_TYPES = [
  'log_opened',
  'log_ended',
  'procedure_started',
  'step',
  'procedure_done',
  'stop_requested',
  'user_action_required',
  'user_action_completed',
  'instrument_idle',
  'acquisition_initiated',
  'bubble_detected',
  'large_bubble',
  'login',
  'logout',
  'instrument_fact',
  'qc_started',
  'fcs_file_saved',
  'line_unparsed',
  'line_overflow',
] as const satisfies readonly LogEventType[];
