import type { Estimate } from '../../src/estimates/estimate.ts';
import type { ConnectivityView, InstrumentView } from '../../src/live/instrument-view.ts';
import type { InstrumentStatus } from '../../src/machines/instrument-status.ts';

// Hand-made InstrumentViews for the Slack builders' unit tests: each helper gives a realistic
// state that a test can bend with overrides.

export const T0 = '2024-05-06T09:00:00.000Z';

export function at(minutes: number, from = T0): string {
  return new Date(Date.parse(from) + minutes * 60_000).toISOString();
}

export function onlineConnectivity(lastHeartbeatAt = at(0)): ConnectivityView {
  return { state: 'online', since: at(-600), reason: null, lastHeartbeatAt, agent: null };
}

export function idleStatus(overrides: Partial<InstrumentStatus> = {}): InstrumentStatus {
  return {
    availability: 'free',
    activity: 'idle',
    summary: 'Idle, nobody logged in',
    since: at(-30),
    software: { running: true, since: at(-120), logFile: 'System_2024-05-06_07-00-00.log' },
    user: null,
    run: null,
    lastRun: null,
    lastProblem: null,
    openAlerts: [],
    instrument: { serialNumber: '2AFC1234', model: 'Attune NxT' },
    asOf: at(0),
    ...overrides,
  };
}

/** jsmith acquiring well B3 since 12 minutes, step 5, with a countdown ending in 8 minutes. */
export function acquiringView(id = 'attune-1', overrides: { user?: string; procedure?: string; estimate?: Estimate | null; action?: string | null } = {}): InstrumentView {
  const user = overrides.user ?? 'jsmith';
  const procedure = overrides.procedure ?? 'Acquisition';
  const startedAt = at(-12);
  const status = idleStatus({
    availability: 'busy',
    activity: 'acquiring',
    summary: `Acquiring well B3 for ${user} (step 5)`,
    since: startedAt,
    user: { name: user, since: at(-60) },
    run: {
      id: 'System_2024-05-06_07-00-00.log@1234',
      procedure,
      source: 'logged',
      startedAt,
      user,
      well: 'B3',
      step: { function: procedure, line: 5, since: at(-1) },
      steps: 17,
      waitingForUser: overrides.action === undefined || overrides.action === null ? null : { action: overrides.action, since: at(-2) },
      stopRequested: false,
      fcsFiles: 2,
      bubbles: 0,
      largeBubbles: 0,
      qc: null,
    },
  });
  const estimate: Estimate | null =
    overrides.estimate !== undefined
      ? overrides.estimate
      : { procedure, startedAt, step: { function: procedure, line: 5 }, estimatedEnd: at(8), p10End: at(6), p90End: at(11), basedOnRuns: 12, comparedWith: 'well B3' };
  return { id, status, connectivity: onlineConnectivity(), estimate };
}

export function freeView(id = 'attune-2'): InstrumentView {
  return { id, status: idleStatus(), connectivity: onlineConnectivity(), estimate: null };
}
