import type { LogEventPayload } from './log-events.ts';

// The message shapes of docs/attune-logs.md §3, in one place. Cheap prefix tests
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
  currentUser = user;
  let rest: string | null = message;
  while (rest !== null) rest = classifyOne(rest, out);
  return out;
}

// The line's user column, needed only by login/logout; set per call rather than threaded
// through every shape's function.
let currentUser = '';

/** Classifies the start of `message` into `out`; returns a glued remainder to classify next, or null. */
function classifyOne(message: string, out: LogEventPayload[]): string | null {
  // Dispatch on the first character: nearly every line is decided by one comparison.
  switch (message.charCodeAt(0)) {
    case 73: // I
      if (message.startsWith(STEP_PREFIX)) classifyStep(message, out);
      else if (message.startsWith(BASELINE_PREFIX)) classifyBaseline(message, out);
      else classifyElsewhere(message, out);
      return null;
    case 69: // E
      if (message.startsWith('Event:')) return classifyEventMessage(message, out);
      classifyElsewhere(message, out);
      return null;
    case 68: // D
      if (message.startsWith('Data:')) classifyData(message, out);
      else classifyElsewhere(message, out);
      return null;
    case 70: // F
      if (message.startsWith(FILE_SAVED_PREFIX)) out.push({ type: 'fcs_file_saved' });
      else classifyElsewhere(message, out);
      return null;
    case 65: // A
      if (message.startsWith(ACQUISITION_INITIATED)) classifyAcquisitionInitiated(message, out);
      else classifyElsewhere(message, out);
      return null;
    case 85: // U
      if (message.startsWith(USER_ACTION_PREFIX)) {
        const action = USER_ACTION.exec(message);
        out.push({ type: 'user_action_required', action: action ? (action[1] as string) : message.slice(USER_ACTION_PREFIX.length).replace(/^[-\s]+/, '') });
      } else classifyElsewhere(message, out);
      return null;
    default:
      classifyElsewhere(message, out);
      return null;
  }
}

function classifyStep(message: string, out: LogEventPayload[]): void {
  const at = message.lastIndexOf(STEP_INFIX);
  if (at < STEP_PREFIX.length) return;
  const fn = message.slice(STEP_PREFIX.length, at);
  const line = Number.parseInt(message.slice(at + STEP_INFIX.length), 10);
  if (!Number.isFinite(line)) return;
  out.push(fn === IDLE_FUNCTION ? { type: 'instrument_idle' } : { type: 'step', function: fn, line });
}

function classifyData(message: string, out: LogEventPayload[]): void {
  if (message.startsWith(BUBBLE_PREFIX)) {
    const position = Number.parseInt(message.slice(message.lastIndexOf(' ') + 1), 10);
    out.push({ type: 'bubble_detected', position: Number.isFinite(position) ? position : null });
    return;
  }
  const fact = FACT.exec(message);
  if (fact) out.push({ type: 'instrument_fact', key: fact[1] as string, value: (fact[2] as string).trim() });
}

function classifyAcquisitionInitiated(message: string, out: LogEventPayload[]): void {
  const well = WELL.exec(message);
  if (well) out.push({ type: 'acquisition_initiated', well: (well[1] as string).toUpperCase() });
  else if (message.trimEnd() === ACQUISITION_INITIATED) out.push({ type: 'acquisition_initiated', well: null });
}

function classifyBaseline(message: string, out: LogEventPayload[]): void {
  const beadlot = message.slice(BASELINE_PREFIX.length).trim();
  out.push({ type: 'qc_started', kind: 'baseline', beadlot: beadlot === '' ? null : beadlot });
}

/** Shapes found inside a message or with leading spaces. */
function classifyElsewhere(message: string, out: LogEventPayload[]): void {
  if (message.includes(USER_ACTION_DONE)) {
    out.push({ type: 'user_action_completed' });
    return;
  }
  if (message.includes(LARGE_BUBBLE)) {
    out.push({ type: 'large_bubble' });
    return;
  }
  const stop = STOP_ACTION.exec(message);
  if (stop) {
    out.push({ type: 'stop_requested', procedure: (stop[1] as string).trim() });
    return;
  }
  const trimmed = message.trim();
  if (trimmed === 'login') out.push({ type: 'login', user: currentUser });
  else if (trimmed === 'logout') out.push({ type: 'logout', user: currentUser });
  else if (trimmed === QC_ENGINE) out.push({ type: 'qc_started', kind: 'qc_engine', beadlot: null });
  else if (trimmed.startsWith(BASELINE_PREFIX)) classifyBaseline(trimmed, out);
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
