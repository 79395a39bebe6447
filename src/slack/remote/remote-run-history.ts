import type { Logger } from 'pino';
import type { LiveFeed } from '../../live/instrument-view.ts';
import { runsResponseSchema } from '../../server/api-schemas.ts';
import { startOfDay, type RunBrief, type RunHistory } from '../run-history.ts';
import { readHeaders, type RemoteServer } from './remote-live-feed.ts';

/**
 * Today's runs of each instrument from a server running elsewhere (`GET
 * /api/v1/instruments/{id}/runs?since=`), kept in memory: read again when the instrument
 * changes, so the home tab (which reads synchronously) shows what the server last said.
 */
export class RemoteRunHistory implements RunHistory {
  private readonly runs = new Map<string, RunBrief[]>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly server: RemoteServer,
    private readonly options: { feed: LiveFeed; timeZone: string; now: () => Date; log: Logger },
  ) {}

  /** Reads every known instrument's runs, then follows the feed's changes. */
  async start(): Promise<void> {
    await Promise.all(this.options.feed.instruments().map((view) => this.refresh(view.id)));
    this.unsubscribe = this.options.feed.subscribe((change) => {
      if (change.type === 'instrument_changed') void this.refresh(change.view.id);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  runsSince(instrumentId: string, sinceIso: string): RunBrief[] {
    return (this.runs.get(instrumentId) ?? []).filter((run) => run.startedAt >= sinceIso);
  }

  /** One request per instrument at a time; a change during it reads once more after. */
  refresh(instrumentId: string): Promise<void> {
    const current = this.loading.get(instrumentId);
    if (current !== undefined) {
      this.again.add(instrumentId);
      return current;
    }
    const load = this.load(instrumentId).finally(() => {
      this.loading.delete(instrumentId);
      if (this.again.delete(instrumentId)) void this.refresh(instrumentId);
    });
    this.loading.set(instrumentId, load);
    return load;
  }

  private async load(instrumentId: string): Promise<void> {
    const since = startOfDay(this.options.now().getTime(), this.options.timeZone);
    const url = new URL(`/api/v1/instruments/${encodeURIComponent(instrumentId)}/runs`, this.server.url);
    url.searchParams.set('since', since);
    url.searchParams.set('limit', '1000');
    try {
      const response = await fetch(url, { headers: readHeaders(this.server), signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`${url.pathname} answered ${response.status}`);
      const { runs } = runsResponseSchema.parse(await response.json());
      // The API answers newest first; the home tab reads them in order.
      this.runs.set(
        instrumentId,
        runs.map(({ procedure, outcome, startedAt, endedAt }) => ({ procedure, outcome, startedAt, endedAt })).reverse(),
      );
    } catch (error) {
      this.options.log.warn({ err: error, instrument: instrumentId }, 'attune-monitor: could not read today’s runs; the home tab shows the last ones read');
    }
  }
}
