import type { types } from '@slack/bolt';
import { z } from 'zod';
import { INSTRUMENT_ID_PATTERN } from '../../shared/instrument-id.ts';

/**
 * Listeners match on the prefix; the suffix keeps action ids distinct within a view. Every id
 * Attune puts in a view starts with `attune_`, so a lab's bot it is mounted into keeps its own.
 */
export const NOTIFY_ACTION_PREFIX = 'attune_notify_when_free';
export const NOTIFY_ACTION_PATTERN = new RegExp(`^${NOTIFY_ACTION_PREFIX}:`);

/** What a button press asks: to start or to stop waiting for an instrument. */
export interface NotifyRequest {
  instrumentId: string;
  subscribe: boolean;
}

const valueSchema = z.string().regex(/^(on|off):/).transform((value, ctx) => {
  const instrumentId = value.slice(value.indexOf(':') + 1);
  if (!INSTRUMENT_ID_PATTERN.test(instrumentId)) {
    ctx.addIssue({ code: 'custom', message: 'not an instrument id' });
    return z.NEVER;
  }
  return { instrumentId, subscribe: value.startsWith('on:') };
});

export function notifyButton(instrumentId: string, subscribed: boolean, position: number): types.Button {
  return {
    type: 'button',
    action_id: `${NOTIFY_ACTION_PREFIX}:${position}`,
    text: { type: 'plain_text', text: subscribed ? 'Stop notifying me' : 'Notify me when free', emoji: true },
    value: `${subscribed ? 'off' : 'on'}:${instrumentId}`,
    // No style: one card's button is not more important than another's (a view has at most one primary).
  };
}

/** The button's value as it comes back from Slack (untrusted until parsed). */
export function parseNotifyValue(value: unknown): NotifyRequest | null {
  const parsed = valueSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
