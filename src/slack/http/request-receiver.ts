import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';

/** What the HTTP route answers Slack. */
export interface ReceiverAnswer {
  status: number;
  /** JSON for an object given to `ack`, plain text otherwise. */
  body: string | Record<string, unknown>;
}

export interface RetryInfo {
  num: number | undefined;
  reason: string | undefined;
}

/** Slack gives up after 3 s; answering a little before that leaves the network its share. */
export const DEFAULT_ACK_TIMEOUT_MS = 2800;

/**
 * A Bolt receiver that owns no server. Bolt's HTTPReceiver and ExpressReceiver each listen on a
 * port of their own, while Slack's requests must arrive on the server's port beside the API; so
 * the server's Hono route verifies the signature on the raw body and hands the parsed body here,
 * and this turns Bolt's `ack` into the HTTP answer. `start`/`stop` have nothing to do: the
 * server's own listener starts and stops.
 */
export class RequestReceiver implements Receiver {
  private app: App | null = null;

  constructor(
    private readonly log: Logger,
    private readonly ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Runs Bolt on one verified request; resolves as soon as a listener acks (the rest of the
   * listener runs on), with an error status if Bolt fails first or nobody acks in time.
   */
  dispatch(body: Record<string, unknown>, retry: RetryInfo): Promise<ReceiverAnswer> {
    const app = this.app;
    if (app === null) return Promise.resolve({ status: 503, body: 'Slack app not initialised' });
    return new Promise<ReceiverAnswer>((resolve) => {
      let answered = false;
      const answer = (result: ReceiverAnswer) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.log.warn({ type: body.type }, 'Slack request not acknowledged in time (no listener for it?)');
        answer({ status: 404, body: 'no listener acknowledged this request' });
      }, this.ackTimeoutMs);
      const event: ReceiverEvent = {
        body,
        retryNum: retry.num,
        retryReason: retry.reason,
        ack: async (response?: unknown) => {
          if (answered) {
            this.log.warn('Slack request acknowledged twice or too late');
            return;
          }
          answer({ status: 200, body: ackBody(response) });
        },
      };
      app.processEvent(event).then(
        () => answer({ status: 200, body: '' }),
        (error: unknown) => {
          this.log.error({ err: error }, 'Slack request failed');
          answer({ status: 500, body: 'internal error' });
        },
      );
    });
  }
}

function ackBody(response: unknown): ReceiverAnswer['body'] {
  if (response === undefined || response === null) return '';
  if (typeof response === 'string') return response;
  return typeof response === 'object' ? (response as Record<string, unknown>) : String(response);
}
