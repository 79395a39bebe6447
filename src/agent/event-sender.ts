import type { Logger } from 'pino';
import { describeFsError } from '../logs/log-file-set.ts';
import { compareSourcePositions, type EventItem, type EventsResponse } from '../protocol/events-api.ts';
import type { AgentHealth } from './agent-health.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { IngestClient } from './ingest-client.ts';
import type { IngestFailure } from './ingest-outcome.ts';
import { BATCH_LIMITS } from './outbox-records.ts';
import type { Outbox, OutboxBatch } from './outbox.ts';
import type { Sleep, Wakeup } from './timing.ts';

/** How long an idle sender waits for a nudge before looking at the outbox anyway. */
const IDLE_WAIT_MS = 10_000;

// Drains the outbox in order. A batch leaves the outbox only after the server's answer says
// every event of it is stored; until then it is retried, as is, forever (with backoff). Reading
// goes on meanwhile, into the outbox, up to its bound.

export interface EventSenderOptions {
  outbox: Outbox;
  client: IngestClient;
  health: AgentHealth;
  log: Logger;
  backoff: BackoffPolicy;
  random: () => number;
  sleep: Sleep;
  /** How long one request may take. */
  requestTimeoutMs: number;
  /** After a 4xx other than 413 (wrong token, wrong URL…): wait this long before trying again. */
  rejectedRetryMs: number;
  /** Nudged when events are appended. */
  wakeup: Wakeup;
}

export class EventSender {
  private readonly options: EventSenderOptions;
  private attempt = 0;
  /** Lowered after a 413: how many records go in one request. */
  private maxRecords = Number.POSITIVE_INFINITY;

  constructor(options: EventSenderOptions) {
    this.options = options;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { outbox, wakeup, sleep, health, log } = this.options;
    while (!signal.aborted) {
      let batch: OutboxBatch | null;
      try {
        batch = await outbox.nextBatch(BATCH_LIMITS, this.maxRecords);
      } catch (error) {
        if (health.set('sender', `cannot read the outbox: ${describeFsError(error)}`)) log.error({ err: describeFsError(error) }, 'cannot read the outbox');
        await sleep(1000, signal);
        continue;
      }
      if (batch === null) {
        // The follower's appends wake it at once: the timer is only a backstop, kept long so an
        // idle agent does not wake to look at an empty outbox every second.
        await wakeup.wait(IDLE_WAIT_MS, signal);
        continue;
      }
      try {
        await this.send(batch, signal);
      } catch (error) {
        // A bug or an odd failure must not end the loop: the batch is still at the head.
        log.error({ err: error }, 'sending failed unexpectedly: retrying');
        await sleep(1000, signal);
      }
    }
  }

  private async send(batch: OutboxBatch, signal: AbortSignal): Promise<void> {
    const { outbox, client, health, log, sleep, requestTimeoutMs } = this.options;
    if (batch.damaged > 0) log.error({ records: batch.damaged, segment: batch.segment }, 'damaged outbox records moved to the quarantine file: their events were not sent');
    if (batch.items.length > 0) {
      const result = await client.postEvents(batch.items, requestTimeoutMs, signal);
      if (signal.aborted) return;
      const failure = result.kind === 'ok' ? checkAnswer(batch.items, result.body) : result;
      if (failure !== null) {
        await this.handleFailure(batch, failure, signal);
        return;
      }
      const body = result.kind === 'ok' ? result.body : null;
      log.debug({ events: batch.items.length, appended: body?.appended, duplicates: body?.duplicates }, 'events delivered');
    }
    try {
      await outbox.ack(batch);
    } catch (error) {
      // The batch stays at the head and is sent again: a duplicate for the server, nothing lost.
      if (health.set('sender', `cannot record a delivery in the outbox: ${describeFsError(error)}`)) log.error({ err: describeFsError(error) }, 'cannot update the outbox');
      await sleep(1000, signal);
      return;
    }
    this.attempt = 0;
    health.set('sender', null);
    if (health.set('server', null)) log.info('server takes events again');
  }

  private async handleFailure(batch: OutboxBatch, failure: IngestFailure, signal: AbortSignal): Promise<void> {
    const { health, log, sleep } = this.options;
    if (failure.kind === 'too_large' && batch.records > 1) {
      this.maxRecords = Math.max(1, Math.floor(batch.records / 2));
      log.warn({ records: batch.records, now: this.maxRecords }, 'request too large for the server: sending smaller batches');
      return;
    }
    if (failure.kind === 'retry') {
      this.attempt++;
      const delay = backoffDelay(this.attempt, this.options.backoff, this.options.random);
      if (health.set('server', `cannot deliver events: ${failure.message}`)) log.warn({ problem: failure.message, events: batch.items.length }, 'cannot deliver events: retrying with backoff');
      log.debug({ attempt: this.attempt, delayMs: delay, problem: failure.message }, 'retrying');
      await sleep(delay, signal);
      return;
    }
    const delay = this.options.rejectedRetryMs;
    if (health.set('server', `the server rejects events: ${failure.message}`)) {
      log.error({ status: failure.status, problem: failure.message, retryInMs: delay }, 'the server rejects events: check --server, --instrument and --token; they are kept in the outbox');
    }
    await sleep(delay, signal);
  }
}

/** A 2xx answer must account for every event and name a stored position at least as high as the batch's. */
function checkAnswer(items: readonly EventItem[], answer: EventsResponse): IngestFailure | null {
  const accounted = answer.appended + answer.duplicates;
  if (accounted !== items.length) return { kind: 'retry', status: 200, message: `the server accounted for ${accounted} of ${items.length} events` };
  const highestSent = items.reduce((max, item) => (compareSourcePositions(item.event.source, max) > 0 ? item.event.source : max), items[0]!.event.source);
  if (answer.highest_source === null || compareSourcePositions(answer.highest_source, highestSent) < 0) {
    return { kind: 'retry', status: 200, message: 'the server answered a highest stored position below the events it says it stored' };
  }
  return null;
}
