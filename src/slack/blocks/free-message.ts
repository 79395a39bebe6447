import type { InstrumentView } from '../../live/instrument-view.ts';
import { fieldText } from './mrkdwn.ts';
import type { SlackMessage } from './status-message.ts';

/** The DM to someone who asked to be told: one line, the instrument and what it is doing now. */
export function freeMessage(view: InstrumentView): SlackMessage {
  // `text` (the notification) is read as mrkdwn too: log text escaped there as in the block.
  return {
    text: `${fieldText(view.id, 64)} is free now: ${fieldText(view.status.summary, 300)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:large_green_circle: *${fieldText(view.id, 64)}* is free now. ${fieldText(view.status.summary, 300)}` } }],
  };
}

