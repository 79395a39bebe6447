import type { InstrumentView } from '../../live/instrument-view.ts';
import { countdown } from '../shared/countdown.ts';
import { formatDuration } from '../shared/format.ts';
import { outcomeMark } from '../shared/outcomes.ts';
import { el, localClock, localWhen } from './dom.ts';

const CONNECTIVITY_WORDS: Record<InstrumentView['connectivity']['state'], string> = {
  online: 'agent online',
  late: 'heartbeat late',
  offline: 'offline: PC off or agent stopped',
  software_silent: 'Attune software silent',
  agent_error: 'agent in trouble',
  unknown: 'no agent yet',
};

/** Free / busy as people say it, unless the server cannot vouch for the status at all. */
export function badgeOf(view: InstrumentView): { text: string; tone: string } {
  const state = view.connectivity.state;
  if (state === 'offline') return { text: 'offline', tone: 'bad' };
  if (state === 'agent_error') return { text: 'agent error', tone: 'bad' };
  if (view.status.activity === 'software_off') return { text: 'software off', tone: 'muted' };
  return view.status.availability === 'free' ? { text: 'free', tone: 'good' } : { text: 'busy', tone: 'busy' };
}

/**
 * One instrument's card as it should look at `nowMs` (elapsed time, countdown). Built fresh each
 * second, then patched into the card on the page (`patchElement`), so the card stays one element.
 */
export function instrumentCard(view: InstrumentView, nowMs: number): HTMLElement {
  const status = view.status;
  const badge = badgeOf(view);
  const card = el('article', { class: 'card', 'data-instrument': view.id, 'data-activity': status.activity, 'data-availability': status.availability });
  card.append(
    el(
      'header',
      {},
      el('h3', {}, view.id),
      el('a', { class: 'kiosk-link', href: `/kiosk/${encodeURIComponent(view.id)}`, title: 'this instrument on a whole screen, for a monitor beside it or a wall' }, 'full screen'),
      el('span', { class: `badge ${badge.tone}`, 'data-badge': '' }, badge.text),
    ),
    el('p', { class: 'summary', 'data-summary': '' }, status.summary),
  );
  const facts = el('dl', { class: 'facts' });
  const fact = (term: string, ...value: Array<Node | string>) => facts.append(el('dt', {}, term), el('dd', {}, ...value));
  const when = (iso: string) => localWhen(iso, nowMs);
  if (status.user !== null) fact('User', `${status.user.name}, since ${when(status.user.since)}`);
  const run = status.run;
  if (run !== null) {
    const elapsed = (nowMs - Date.parse(run.startedAt)) / 1000;
    fact('Running', `${run.procedure}${run.well === null ? '' : ` (well ${run.well})`}, for ${formatDuration(elapsed)}`);
    if (run.step !== null) fact('Step', `${run.step.function} line ${run.step.line} (${run.steps} step lines so far)`);
    if (run.waitingForUser !== null) fact('Waiting', `for the user: ${run.waitingForUser.action}, since ${when(run.waitingForUser.since)}`);
    if (view.estimate !== null) {
      const left = countdown(view.estimate, nowMs, localClock);
      const bar = left.progress === null ? null : el('progress', { max: '1', value: left.progress.toFixed(3) });
      // Announced to screen readers when it changes: the headline moves by the minute, not the second.
      fact('Done', el('strong', { 'data-countdown': '', 'aria-live': 'polite' }, left.headline), bar ?? '', el('small', {}, left.detail));
    }
  } else if (status.lastRun !== null) {
    const last = status.lastRun;
    const outcome = outcomeMark(last.outcome);
    fact('Last run', `${last.procedure} `, el('span', { class: `outcome ${outcome.key}` }, `${outcome.mark} ${outcome.word}`), last.endedAt === null ? '' : `, ended ${when(last.endedAt)}`);
  }
  if (status.lastProblem !== null) {
    const problem = status.lastProblem;
    fact('Problem', el('span', { class: problem.resolved ? 'muted' : 'warn' }, `${problem.message} (${when(problem.at)}${problem.resolved ? ', resolved' : ''})`));
  }
  const connectivity = view.connectivity;
  // The server's reason says it best when it gives one; else when the agent was last heard.
  const heartbeat = connectivity.lastHeartbeatAt === null ? 'no heartbeat yet' : `last heartbeat ${localClock(Date.parse(connectivity.lastHeartbeatAt), true)}`;
  fact('Link', el('span', { class: `link ${connectivity.state}`, 'data-connectivity': connectivity.state }, CONNECTIVITY_WORDS[connectivity.state]), ` · ${connectivity.reason ?? heartbeat}`);
  card.append(facts);
  if (status.asOf !== null) card.append(el('p', { class: 'muted small' }, `as of the log line at ${when(status.asOf)}`));
  return card;
}
