import type { LogEventPayload } from './log-events.ts';

// The message shapes of ATTUNE-LOGS.md ("Messages that matter"), in one place. Cheap prefix tests
// first, the most frequent shape (steps) before the others; a message that matters to no machine
// or view yields nothing.

const STEP_PREFIX = 'Instrument function ';
const STEP_INFIX = ' executing line ';
const IDLE_FUNCTION = 'Instrument Idle';
const STARTING_PREFIX = 'Event:Starting_';
const STOP_SAMPLE = 'Event:Acquisition StopSampleAcquisition';
// A completion code is a run of digits (optionally signed) or of [A-Za-z_] right after `~`;
// what follows it is another message glued on (`Event:Rinse_Done~0Line Calibration initiated`).
const DONE = /^Event:(.+?)_Done~([+-]?\d+|[A-Za-z_]+)?/;
const STOP_ACTION = /^Entered InstrumentFunctionManager::StopAction\(\) during -- (.*?) -- STOPPING/;
const USER_ACTION_PREFIX = 'User Action required to continue';
const USER_ACTION = /action="(.*?)"/;
const USER_ACTION_DONE = 'Necessary User Actions Completed';
const ACQUISITION_INITIATED = 'Acquisition initiated';
const WELL = /^Acquisition initiated on well ([A-Za-z]{1,2}\d{1,3})/;
const BUBBLE_PREFIX = 'Data:New Bubble Detected';
const LARGE_BUBBLE = 'BUBBLE SIZE GREATER THAN THRESHOLD';
const FACT = /^Data:([A-Za-z0-9_]+)~(.*)$/s;
const QC_ENGINE = 'Qc Engine Initialized';
const BASELINE_PREFIX = 'Initiating Baseline with beadlot:';
const FILE_SAVED_PREFIX = 'File Saved signal received';

/** The events in one message; `user` is the line's user column (for login/logout). */
export function classifyMessage(message: string, user: string): LogEventPayload[] {
  const out: LogEventPayload[] = [];
  let rest: string | null = message;
  while (rest !== null) rest = classifyOne(rest, user, out);
  return out;
}

/** Classifies the start of `message` into `out`; returns a glued remainder to classify next, or null. */
function classifyOne(message: string, user: string, out: LogEventPayload[]): string | null {
  if (message.startsWith(STEP_PREFIX)) {
    const at = message.lastIndexOf(STEP_INFIX);
    if (at > STEP_PREFIX.length - 1) {
      const fn = message.slice(STEP_PREFIX.length, at);
      const line = Number.parseInt(message.slice(at + STEP_INFIX.length), 10);
      if (Number.isFinite(line)) {
        out.push(fn === IDLE_FUNCTION ? { type: 'instrument_idle' } : { type: 'step', function: fn, line });
      }
    }
    return null;
  }
  if (message.startsWith('Event:')) return classifyEventMessage(message, out);
  if (message.startsWith('Data:')) {
    if (message.startsWith(BUBBLE_PREFIX)) {
      const position = Number.parseInt(message.slice(message.lastIndexOf(' ') + 1), 10);
      out.push({ type: 'bubble_detected', position: Number.isFinite(position) ? position : null });
      return null;
    }
    const fact = FACT.exec(message);
    if (fact) out.push({ type: 'instrument_fact', key: fact[1] as string, value: (fact[2] as string).trim() });
    return null;
  }
  if (message.startsWith(FILE_SAVED_PREFIX)) {
    out.push({ type: 'fcs_file_saved' });
    return null;
  }
  if (message.startsWith(ACQUISITION_INITIATED)) {
    const well = WELL.exec(message);
    if (well) out.push({ type: 'acquisition_initiated', well: (well[1] as string).toUpperCase() });
    else if (message.trimEnd() === ACQUISITION_INITIATED) out.push({ type: 'acquisition_initiated', well: null });
    return null;
  }
  if (message.startsWith(USER_ACTION_PREFIX)) {
    const action = USER_ACTION.exec(message);
    out.push({ type: 'user_action_required', action: action ? (action[1] as string) : message.slice(USER_ACTION_PREFIX.length).replace(/^[-\s]+/, '') });
    return null;
  }
  if (message.includes(USER_ACTION_DONE)) {
    out.push({ type: 'user_action_completed' });
    return null;
  }
  if (message.includes(LARGE_BUBBLE)) {
    out.push({ type: 'large_bubble' });
    return null;
  }
  const stop = STOP_ACTION.exec(message);
  if (stop) {
    out.push({ type: 'stop_requested', procedure: (stop[1] as string).trim() });
    return null;
  }
  const trimmed = message.trim();
  if (trimmed === 'login') out.push({ type: 'login', user });
  else if (trimmed === 'logout') out.push({ type: 'logout', user });
  else if (trimmed === QC_ENGINE) out.push({ type: 'qc_started', kind: 'qc_engine', beadlot: null });
  else if (trimmed.startsWith(BASELINE_PREFIX)) {
    const beadlot = trimmed.slice(BASELINE_PREFIX.length).trim();
    out.push({ type: 'qc_started', kind: 'baseline', beadlot: beadlot === '' ? null : beadlot });
  }
  return null;
}

function classifyEventMessage(message: string, out: LogEventPayload[]): string | null {
  if (message.startsWith(STARTING_PREFIX)) {
    const procedure = message.slice(STARTING_PREFIX.length).trim();
    if (procedure !== '') out.push({ type: 'procedure_started', procedure });
    return null;
  }
  if (message.startsWith(STOP_SAMPLE)) {
    out.push({ type: 'stop_requested', procedure: 'Acquisition' });
    return null;
  }
  const done = DONE.exec(message);
  if (done) {
    out.push({ type: 'procedure_done', procedure: (done[1] as string).trim(), code: done[2] ?? '' });
    const rest = message.slice(done[0].length);
    return rest.trim() === '' ? null : rest;
  }
  return null;
}
