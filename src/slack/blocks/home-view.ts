import type { types } from '@slack/bolt';
import { cardAvailability } from '../../live/availability.ts';
import type { InstrumentView } from '../../live/instrument-view.ts';
import type { RunBrief } from '../run-history.ts';
import { instrumentCard } from './instrument-card.ts';
import { LIMITS } from './limits.ts';

export interface HomeInput {
  instruments: readonly InstrumentView[];
  /** Runs since the start of the lab's day, by instrument id. */
  today: ReadonlyMap<string, readonly RunBrief[]>;
  /** Instruments the viewer is waiting for. */
  subscriptions: ReadonlySet<string>;
}

const HEAD_BLOCKS = 2;
const CARD_BLOCKS = 3; // section, context, divider

/**
 * The home tab: a header, a summary line, and one card per instrument in id order. A view holds
 * at most 100 blocks: past 32 instruments the last card gives way to a line saying how many more
 * there are and where to see them, rather than the whole publish being refused.
 */
export function homeView(input: HomeInput, nowMs: number): types.HomeView {
  const instruments = [...input.instruments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const free = instruments.filter((view) => cardAvailability(view) === 'free').length;
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Attune instruments', emoji: true } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: instruments.length === 0 ? 'No instrument has reported yet.' : `${instruments.length} instrument${instruments.length === 1 ? '' : 's'} · ${free} free` }],
    },
  ];
  const fitAll = HEAD_BLOCKS + instruments.length * CARD_BLOCKS - 1 <= LIMITS.viewBlocks;
  // One block is kept for the "and N more" line when not all fit.
  const shown = fitAll ? instruments.length : Math.floor((LIMITS.viewBlocks - HEAD_BLOCKS - 1 + 1) / CARD_BLOCKS);
  instruments.slice(0, shown).forEach((view, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...instrumentCard({ view, today: input.today.get(view.id) ?? [], subscribed: input.subscriptions.has(view.id) }, nowMs, i));
  });
  if (!fitAll) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${instruments.length - shown} more instruments: type \`/attune\` to see every one.` }] });
  }
  return { type: 'home', blocks };
}
