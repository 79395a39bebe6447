import type { LogEvent } from '../../events/log-events.ts';
import type { MonitorOutput } from '../../machines/monitor-types.ts';

/** What an event says beyond its type, for a transition log ("Startup", "jsmith", "Rinse line 3"). */
export function eventDetail(event: LogEvent): string {
  switch (event.type) {
    case 'procedure_started':
    case 'stop_requested':
      return event.procedure;
    case 'procedure_done':
      return `${event.procedure} ~${event.code}`;
    case 'step':
      return `${event.function} line ${event.line}`;
    case 'user_action_required':
      return event.action;
    case 'acquisition_initiated':
      return event.well === null ? 'tube' : `well ${event.well}`;
    case 'bubble_detected':
      return event.position === null ? '' : `at ${event.position}`;
    case 'login':
    case 'logout':
      return event.user;
    case 'instrument_fact':
      return `${event.key} = ${event.value}`;
    case 'qc_started':
      return event.beadlot === null ? event.kind : `${event.kind}, beadlot ${event.beadlot}`;
    case 'line_unparsed':
      return event.reason;
    case 'line_overflow':
      return `${event.omitted} more events not kept`;
    case 'log_opened':
    case 'log_ended':
      return event.source.file;
    case 'user_action_completed':
    case 'instrument_idle':
    case 'large_bubble':
    case 'fcs_file_saved':
      return '';
    default: {
      const unknown: never = event;
      return String(unknown);
    }
  }
}

/** What the machine announced, in a few words ("run closed: Rinse completed"). */
export function outputWords(output: MonitorOutput): string {
  switch (output.type) {
    case 'run_opened':
      return `run opened: ${output.run.procedure}${output.run.well === null ? '' : ` well ${output.run.well}`}`;
    case 'run_closed':
      return `run closed: ${output.run.procedure} ${output.run.outcome ?? ''}`.trimEnd();
    case 'session_opened':
      return `${output.session.user} logged in`;
    case 'session_closed':
      return `${output.session.user} logged out (${output.session.endReason ?? 'ended'})`;
    case 'alert_raised':
      return `alert: ${output.alert.message}`;
    case 'alert_resolved':
      return `alert resolved: ${output.alert.kind}`;
    default: {
      const unknown: never = output;
      return String(unknown);
    }
  }
}
