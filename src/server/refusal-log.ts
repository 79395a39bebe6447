import type { Logger } from 'pino';

// Refused requests are worth a line in the log (a misconfigured agent, someone probing), but not
// one line each: 2,000 bad-token requests wrote 434 KB in a second. Per source (the client's
// address) and minute: the first refusal is logged as it happens, the rest are counted, and the
// count is logged once the minute is over (at the source's next refusal, or by `flush`).

const WINDOW_MS = 60_000;
/** Sources remembered at most: past it, the quietest are flushed early (a spray of addresses stays bounded). */
const MAX_SOURCES = 10_000;

export interface Refusal {
  status: number;
  code: string;
  problem: string;
  method: string;
  path: string;
}

interface SourceWindow {
  since: number;
  /** Refusals after the first in this window, not logged one by one. */
  more: number;
  last: Refusal;
}

export class RefusalLog {
  private readonly sources = new Map<string, SourceWindow>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  refused(source: string, refusal: Refusal): void {
    const now = this.now();
    const open = this.sources.get(source);
    if (open !== undefined && now - open.since < WINDOW_MS) {
      open.more++;
      open.last = refusal;
      return;
    }
    if (open !== undefined) this.close(source, open);
    if (this.sources.size >= MAX_SOURCES) this.flush(Number.POSITIVE_INFINITY);
    this.sources.set(source, { since: now, more: 0, last: refusal });
    this.log.warn({ source, ...refusal }, 'request refused');
  }

  /** Logs the counts of windows over by now (all of them with `olderThanMs` = Infinity) and forgets them. */
  flush(olderThanMs = WINDOW_MS): void {
    const now = this.now();
    for (const [source, window] of this.sources) {
      if (olderThanMs !== Number.POSITIVE_INFINITY && now - window.since < olderThanMs) continue;
      this.close(source, window);
    }
  }

  private close(source: string, window: SourceWindow): void {
    this.sources.delete(source);
    if (window.more > 0) {
      this.log.warn({ source, more: window.more, last: window.last }, `${window.more} more requests refused from ${source} within a minute`);
    }
  }
}
