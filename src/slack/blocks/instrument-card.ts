import type { types } from '@slack/bolt';
import { cardAvailability, type CardAvailability } from '../../live/availability.ts';
import type { InstrumentView } from '../../live/instrument-view.ts';
import type { RunBrief } from '../run-history.ts';
import { joinLinesWithin, LIMITS } from './limits.ts';
import { dateToken, fieldText } from './mrkdwn.ts';
import { notifyButton } from './notify-button.ts';
import { connectivityLine, countdownLine, lastProblemLine } from './status-lines.ts';

export interface CardInput {
  view: InstrumentView;
  /** The instrument's runs since the start of the lab's day. */
  today: readonly RunBrief[];
  /** Whether the viewer asked to be told when it is free (the button then cancels). */
  subscribed: boolean;
  /** False where nothing would answer the button (a bot in another language shows the cards alone). */
  notifyButton?: boolean;
}

export const BADGES: Record<CardAvailability, string> = {
  free: ':large_green_circle: *Free*',
  busy: ':red_circle: *Busy*',
  offline: ':black_circle: *Offline*',
};

/** One instrument on the home tab: a section (status, button) and a context line (connectivity, today). Two blocks, always. */
export function instrumentCard(input: CardInput, nowMs: number, position: number): types.KnownBlock[] {
  const { view } = input;
  const status = view.status;
  const lines = [`*${fieldText(view.id, 64)}*   ${BADGES[cardAvailability(view)]}`, fieldText(status.summary, 300)];
  if (status.user !== null) lines.push(`:bust_in_silhouette: *${fieldText(status.user.name, 80)}* logged in since ${dateToken(status.user.since, '{date_short_pretty} {time}')}`);
  const run = status.run;
  if (run !== null) {
    const where = run.well !== null ? ` · well ${fieldText(run.well, 8)}` : run.procedure === 'Acquisition' ? ' · tube' : '';
    const step = run.step !== null ? ` · step ${run.step.line}${run.step.function !== run.procedure ? ` of ${fieldText(run.step.function, 60)}` : ''}` : '';
    lines.push(`:gear: *${fieldText(run.procedure, 80)}*${run.source === 'inferred' ? ' (automatic)' : ''}${where}${step} · ${run.steps} step${run.steps === 1 ? '' : 's'} so far`);
    lines.push(countdownLine(run, view.estimate, nowMs));
    if (run.waitingForUser !== null) lines.push(`:raised_hand: *Waiting for the user:* ${fieldText(run.waitingForUser.action, 200)} (since ${dateToken(run.waitingForUser.since)})`);
    if (run.stopRequested) lines.push(':octagonal_sign: Stop requested');
  }
  const problem = lastProblemLine(status);
  if (problem !== null) lines.push(problem);

  const section: types.SectionBlock = {
    type: 'section',
    block_id: `attune_instrument:${position}`,
    text: { type: 'mrkdwn', text: joinLinesWithin(lines, LIMITS.sectionText) },
    ...(input.notifyButton === false ? {} : { accessory: notifyButton(view.id, input.subscribed, position) }),
  };
  const context: types.ContextBlock = {
    type: 'context',
    elements: [connectivityLine(view.connectivity), todayLine(input.today)].map((text) => ({ type: 'mrkdwn', text })),
  };
  return [section, context];
}

/** "Today: 12 runs: Rinse ×5, Acquisition ×4, Startup ×2, +1 more · 1 failed" */
export function todayLine(runs: readonly RunBrief[]): string {
  const finished = runs.filter((run) => run.endedAt !== null);
  if (finished.length === 0) return 'No runs finished today';
  const counts = new Map<string, number>();
  for (const run of finished) counts.set(run.procedure, (counts.get(run.procedure) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, 3).map(([procedure, n]) => `${fieldText(procedure, 40)} ×${n}`);
  if (sorted.length > 3) shown.push(`+${sorted.length - 3} more`);
  const failed = finished.filter((run) => run.outcome === 'failed' || run.outcome === 'interrupted').length;
  const last = finished[finished.length - 1]!;
  return [
    `Today: ${finished.length} run${finished.length === 1 ? '' : 's'} (${shown.join(', ')})`,
    ...(failed > 0 ? [`${failed} failed or interrupted`] : []),
    `last ended ${dateToken(last.endedAt!)}`,
  ].join(' · ');
}
