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

export interface HomeOptions {
  /** The most blocks to use: a whole tab has 100; a section of a lab bot's tab leaves it room. */
  maxBlocks?: number;
  /** The dashboard's address (ATTUNE_PUBLIC_URL): an "Open dashboard" button, the view's one primary. */
  dashboardUrl?: string | null;
  /** The slash command that lists every instrument, named when not all fit; null: none. */
  command?: string | null;
  /** "Notify me when free" on each card (default): only where Attune answers the button. */
  notifyButtons?: boolean;
}

export const OPEN_DASHBOARD_ACTION = 'attune_open_dashboard';
const CARD_BLOCKS = 3; // section, context, divider

/** The home tab that Attune publishes itself (`home: 'own'`). */
export function homeView(input: HomeInput, nowMs: number, options: HomeOptions = {}): types.HomeView {
  return { type: 'home', blocks: homeBlocks(input, nowMs, options) };
}

/**
 * The instruments as home-tab blocks: a header, a summary line (and the dashboard button), and
 * one card per instrument in id order. Within `maxBlocks` (a view holds at most 100): past what
 * fits, the last card gives way to a line saying how many more there are and where to see them,
 * rather than the whole publish being refused.
 */
export function homeBlocks(input: HomeInput, nowMs: number, options: HomeOptions = {}): types.KnownBlock[] {
  const maxBlocks = Math.min(options.maxBlocks ?? LIMITS.viewBlocks, LIMITS.viewBlocks);
  const command = options.command === undefined ? '/attune' : options.command;
  const instruments = [...input.instruments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const free = instruments.filter((view) => cardAvailability(view) === 'free').length;
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Attune instruments', emoji: true } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: instruments.length === 0 ? 'No instrument has reported yet.' : `${instruments.length} instrument${instruments.length === 1 ? '' : 's'} · ${free} free` }],
    },
  ];
  const dashboardUrl = options.dashboardUrl ?? null;
  if (dashboardUrl !== null) {
    blocks.push({
      type: 'actions',
      block_id: 'attune_dashboard',
      elements: [{ type: 'button', action_id: OPEN_DASHBOARD_ACTION, text: { type: 'plain_text', text: 'Open dashboard', emoji: true }, url: dashboardUrl, style: 'primary' }],
    });
  }
  const head = blocks.length;
  const fitAll = head + instruments.length * CARD_BLOCKS - 1 <= maxBlocks;
  // One block is kept for the "and N more" line when not all fit.
  const shown = fitAll ? instruments.length : Math.max(0, Math.floor((maxBlocks - head) / CARD_BLOCKS));
  instruments.slice(0, shown).forEach((view, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...instrumentCard({ view, today: input.today.get(view.id) ?? [], subscribed: input.subscriptions.has(view.id), notifyButton: options.notifyButtons !== false }, nowMs, i));
  });
  if (!fitAll) {
    const where = command !== null ? `type \`${command}\` to see every one` : dashboardUrl !== null ? 'the dashboard shows every one' : 'not shown here';
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${instruments.length - shown} more instruments: ${where}.` }] });
  }
  return blocks;
}
