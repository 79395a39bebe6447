import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';

/**
 * Slack re-sends an event it thinks was not received (`x-slack-retry-num`, or `retry_attempt`
 * in Socket Mode) with the same `event_id`. An id already handled is dropped here, so a retry
 * never publishes or posts twice; a retry of an event that never arrived is handled as new.
 * Bounded: ids older than the last `capacity` are forgotten (Slack retries within minutes).
 * A listener middleware of Attune's own events, never global: a lab bot's events are its own.
 */
export function dropRedeliveredEvents<E extends string>(capacity = 2000): Middleware<SlackEventMiddlewareArgs<E>> {
  const seen = new Set<string>();
  return async ({ body, next, logger }) => {
    const eventId = 'event_id' in body && typeof body.event_id === 'string' ? body.event_id : null;
    if (eventId !== null) {
      if (seen.has(eventId)) {
        logger.debug(`dropped a redelivery of event ${eventId}`);
        return;
      }
      seen.add(eventId);
      if (seen.size > capacity) seen.delete(seen.values().next().value!);
    }
    await next();
  };
}
