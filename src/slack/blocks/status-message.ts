import type { types } from '@slack/bolt';
import { cardAvailability } from '../../live/availability.ts';
import type { InstrumentView } from '../../live/instrument-view.ts';
import { BADGES } from './instrument-card.ts';
import { joinLinesWithin, LIMITS } from './limits.ts';
import { fieldText } from './mrkdwn.ts';
import { connectivityLine, countdownLine } from './status-lines.ts';

export interface SlackMessage {
  /** The notification and screen-reader text. */
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * `/attune`: one section per instrument (badge, what it does, countdown, connectivity). A message
 * holds at most 50 blocks: past 49 instruments the rest are counted on the last line.
 */
export function statusMessage(instruments: readonly InstrumentView[], nowMs: number): SlackMessage {
  const sorted = [...instruments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const free = sorted.filter((view) => cardAvailability(view) === 'free').length;
  const text = sorted.length === 0 ? 'No instrument has reported yet.' : `Attune status: ${sorted.length} instrument${sorted.length === 1 ? '' : 's'}, ${free} free`;
  const room = LIMITS.messageBlocks - 1;
  const shown = sorted.length <= room ? sorted.length : room - 1;
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } }];
  for (const view of sorted.slice(0, shown)) {
    const lines = [`*${fieldText(view.id, 64)}*   ${BADGES[cardAvailability(view)]} · ${fieldText(view.status.summary, 300)}`];
    if (view.status.run !== null) lines.push(countdownLine(view.status.run, view.estimate, nowMs));
    lines.push(connectivityLine(view.connectivity));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: joinLinesWithin(lines, LIMITS.sectionText) } });
  }
  if (shown < sorted.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${sorted.length - shown} more instruments (see the app's Home tab).` }] });
  return { text, blocks };
}
