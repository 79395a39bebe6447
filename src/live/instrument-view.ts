import type { Connectivity, ConnectivityView } from '../connectivity/connectivity.ts';
import type { Estimate } from '../estimates/estimate.ts';
import type { InstrumentStatus } from '../machines/instrument-status.ts';

// The contract between the server (which keeps it) and what shows it (Slack app, web
// dashboard, HTTP API): everything a person sees of one instrument, as one JSON object.

export type { Connectivity, ConnectivityView };

export interface InstrumentView {
  id: string;
  status: InstrumentStatus;
  connectivity: ConnectivityView;
  /** The countdown of the open run (docs/estimates.md), null when nothing runs. */
  estimate: Estimate | null;
}

/** A log-derived alert or a connectivity alert, as the Slack app posts and resolves them. */
export interface LiveAlert {
  /** Stable id: the same condition keeps its id from raise to resolve. */
  id: string;
  instrumentId: string;
  kind: 'bubble' | 'large_bubble' | 'procedure_failed' | 'procedure_interrupted' | 'agent_offline' | 'software_silent' | 'agent_error';
  raisedAt: string;
  resolvedAt: string | null;
  message: string;
  procedure: string | null;
  well: string | null;
  /** The Attune user at the time, when known. */
  user: string | null;
}

/** What the live feed announces, in order, as events are appended and time passes. */
export type LiveChange =
  | { type: 'instrument_changed'; view: InstrumentView }
  | {
      type: 'alert_raised' | 'alert_resolved';
      alert: LiveAlert;
      /**
       * True when the event behind it was already old when it reached the server (an import of
       * history, an agent catching up after days offline): shown in lists, never posted to Slack.
       */
      historic: boolean;
    };

/** The server side of the contract; the Slack app and the web pages only read through it. */
export interface LiveFeed {
  instruments(): InstrumentView[];
  instrument(id: string): InstrumentView | null;
  /** Alerts still open, oldest first. */
  openAlerts(): LiveAlert[];
  /** Calls `listener` for every change from now on; returns the unsubscribe function. */
  subscribe(listener: (change: LiveChange) => void): () => void;
}
