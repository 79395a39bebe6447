import type { Command } from 'commander';
import { assertTimeZone, systemTimeZone } from '../events/local-time.ts';
import { estimateRun } from '../estimates/estimate-run.ts';
import { estimateJson, type Estimate } from '../estimates/estimate.ts';
import type { EventStore } from '../store/event-store.ts';
import type { StoredInstrumentState } from '../store/instrument-state-projection.ts';
import { asCliError, dbOption, withStore } from './store-options.ts';
import { localTimeText, terminalSafe, textTable } from './text-table.ts';
import { HeartbeatStore, type StoredHeartbeat } from '../connectivity/heartbeat-store.ts';

interface StatusOptions {
  db: string;
  json?: boolean;
  timezone: string;
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("each instrument's status, as of the last event stored")
    .addOption(dbOption())
    .option('--json', 'print {"instruments": [{instrument_id, status, estimate, as_of, last_position, agent}]} with UTC times')
    .option('--timezone <iana>', 'time zone to show times in', systemTimeZone())
    .action((options: StatusOptions) => {
      try {
        assertTimeZone(options.timezone);
      } catch (error) {
        throw asCliError(error);
      }
      const states = withStore(options.db, { create: false }, (store) => {
        const heartbeats = new HeartbeatStore(store.heartbeats);
        return store.states.all().map((state) => ({ ...state, estimate: countdownOf(store, state), agent: agentOf(heartbeats.get(state.instrumentId)) }));
      });
      const json = {
        instruments: states.map((state) => ({
          instrument_id: state.instrumentId,
          status: state.status,
          as_of: state.asOf,
          last_position: state.lastPosition,
          estimate: state.estimate === null ? null : estimateJson(state.estimate),
          agent: state.agent,
        })),
      };
      process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : statusText(states, options.timezone));
    });
}

/** What the instrument's agent said in its last heartbeat that a person must act on. */
interface AgentReport {
  heartbeat_at: string;
  last_error: string | null;
  /** Outbox lines the agent moved to its quarantine file, not sent (0 from agents that do not tell). */
  outbox_quarantined: number;
}

function agentOf(stored: StoredHeartbeat | null): AgentReport | null {
  if (stored === null) return null;
  return { heartbeat_at: new Date(stored.receivedAt).toISOString(), last_error: stored.heartbeat.last_error, outbox_quarantined: stored.heartbeat.outbox_quarantined ?? 0 };
}

type StateWithEstimate = StoredInstrumentState & { estimate: Estimate | null; agent: AgentReport | null };

/** The countdown of the run open as of the last event (none when nothing runs), from the stored run steps (no replay). */
function countdownOf(store: EventStore, state: StoredInstrumentState): Estimate | null {
  if (state.status.run === null || state.asOf === null) return null;
  const open = store.openRunTimeline(state.instrumentId);
  return open === null ? null : estimateRun(store.estimatorHistory(state.instrumentId), open, state.asOf);
}

function countdownText(estimate: Estimate | null, asOf: string | null, zone: string): string {
  if (estimate === null) return '';
  if (estimate.estimatedEnd === null || asOf === null) return `no estimate yet (${estimate.basedOnRuns} past runs)`;
  const minutes = Math.max(0, Math.round((Date.parse(estimate.estimatedEnd) - Date.parse(asOf)) / 60_000));
  return `ends ${localTimeText(estimate.estimatedEnd, zone).slice(11, 16)}, about ${minutes} min left`;
}

function statusText(states: StateWithEstimate[], zone: string): string {
  if (states.length === 0) return 'No instruments yet: import logs first (attune-monitor import).\n';
  const table = textTable(
    ['instrument', 'state', 'what', 'since', 'countdown', 'last run', 'open alerts', 'as of'],
    states.map(({ instrumentId, status, estimate, asOf }) => [
      instrumentId,
      `${status.availability}, ${status.activity.replace('_', ' ')}`,
      status.summary,
      localTimeText(status.since, zone),
      countdownText(estimate, asOf, zone),
      status.lastRun === null ? '' : `${status.lastRun.procedure} ${status.lastRun.outcome ?? 'running'}`,
      String(status.openAlerts.length),
      localTimeText(status.asOf, zone),
    ]),
  );
  const problems = states.flatMap(({ instrumentId, agent }) => {
    if (agent === null || (agent.last_error === null && agent.outbox_quarantined === 0)) return [];
    const quarantined = agent.outbox_quarantined > 0 ? `${agent.outbox_quarantined} outbox lines quarantined (not sent); ` : '';
    return [`${instrumentId}: its agent reports (${localTimeText(agent.heartbeat_at, zone)}): ${quarantined}${terminalSafe(agent.last_error ?? '')}`];
  });
  return `${table}\n(times in ${zone})\n${problems.map((line) => `${line}\n`).join('')}`;
}
