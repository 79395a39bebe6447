import type { InstrumentStatus } from '../machines/instrument-status.ts';
import type { Alert } from '../machines/monitor-types.ts';
import type { Connectivity, LiveAlert } from './instrument-view.ts';

// How the server's alerts are named and worded: those the log reveals (the machine's) and those
// its connectivity raises.

/** A log alert as the feed shows it; its id is the `alerts` table's `alert_id`. */
export function liveAlertOf(instrumentId: string, alert: Alert): LiveAlert {
  return {
    id: `${instrumentId}/${alert.id}`,
    instrumentId,
    kind: alert.kind,
    raisedAt: alert.raisedAt,
    resolvedAt: alert.resolvedAt,
    message: alert.message,
    procedure: alert.procedure,
    well: alert.well,
    user: alert.user,
  };
}

type ConnectivityAlertKind = Extract<LiveAlert['kind'], 'agent_offline' | 'software_silent' | 'agent_error'>;

/** The connectivity states that are alerts; the others (online, late, unknown) are not. */
const ALERT_OF_STATE: Partial<Record<Connectivity, ConnectivityAlertKind>> = {
  offline: 'agent_offline',
  software_silent: 'software_silent',
  agent_error: 'agent_error',
};

const HEADLINE: Record<ConnectivityAlertKind, string> = {
  agent_offline: 'The instrument PC is offline',
  software_silent: 'The Attune software is silent',
  agent_error: 'The agent on the instrument PC is in trouble',
};

export function connectivityAlertKind(state: Connectivity): ConnectivityAlertKind | null {
  return ALERT_OF_STATE[state] ?? null;
}

/**
 * The alert a connectivity state raises, at the moment it began. Its id names the kind and the
 * moment, so a later outage is a new alert. The user and run are those of the instrument's status
 * then (who was on it when it went dark).
 */
export function connectivityAlert(
  instrumentId: string,
  state: Connectivity,
  since: string,
  reason: string | null,
  status: Pick<InstrumentStatus, 'run' | 'user'> | null,
): LiveAlert | null {
  const kind = connectivityAlertKind(state);
  if (kind === null) return null;
  return {
    id: `${instrumentId}/${kind}@${since}`,
    instrumentId,
    kind,
    raisedAt: since,
    resolvedAt: null,
    message: reason === null ? HEADLINE[kind] : `${HEADLINE[kind]}: ${reason}`,
    procedure: status?.run?.procedure ?? null,
    well: status?.run?.well ?? null,
    user: status?.user?.name ?? null,
  };
}
