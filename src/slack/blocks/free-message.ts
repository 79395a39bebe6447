import type { InstrumentView } from '../../live/instrument-view.ts';
import { LIMITS } from './limits.ts';
import { fieldText } from './mrkdwn.ts';
import type { SlackMessage } from './status-message.ts';

/** The DM to someone who asked to be told: one line, the instrument and what it is doing now. */
export function freeMessage(view: InstrumentView): SlackMessage {
  const text = `${view.id} is free now: ${view.status.summary}`;
  return {
    text: text.slice(0, LIMITS.messageText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:large_green_circle: *${fieldText(view.id, 64)}* is free now. ${fieldText(view.status.summary, 300)}` } }],
  };
}

