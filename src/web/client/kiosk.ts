import type { InstrumentView } from '../../live/instrument-view.ts';
import { countdown } from '../shared/countdown.ts';
import { formatDuration } from '../shared/format.ts';
import { badgeOf } from './instrument-cards.ts';
import { byId, el, localClock, localWhen, patchElement } from './dom.ts';
import { connectLive } from './live-connection.ts';

// The kiosk: one instrument on a whole screen, read from two metres. Drawn from the live stream,
// redrawn every second (the countdown and the run's time move) by patching the text in place.

const instrument = document.body.dataset['instrument'] ?? '';
const kiosk = byId('kiosk');
const body = byId('kiosk-body');
let view: InstrumentView | null = null;
let known: string[] = [];

function draw(): void {
  const now = Date.now();
  const fresh = view === null ? notReported() : kioskBody(view, now);
  kiosk.dataset['availability'] = view === null ? 'unknown' : badgeOf(view).tone;
  patchElement(body, el('div', { id: 'kiosk-body' }, ...fresh));
}

function notReported(): HTMLElement[] {
  const others = known.filter((id) => id !== instrument);
  const parts: HTMLElement[] = [
    el('p', { class: 'k-state', 'data-state-word': '' }, 'not reported yet'),
    el('p', { class: 'k-line' }, 'This instrument has not been heard from: its agent may not have started yet.'),
  ];
  if (others.length > 0) {
    const links = others.flatMap((id, i) => [i === 0 ? '' : ', ', el('a', { href: `/kiosk/${encodeURIComponent(id)}` }, id)]);
    parts.push(el('p', { class: 'k-small' }, 'Instruments this server knows: ', ...links));
  }
  return parts;
}

function kioskBody(current: InstrumentView, now: number): HTMLElement[] {
  const status = current.status;
  const badge = badgeOf(current);
  const when = (iso: string) => localWhen(iso, now);
  const parts: HTMLElement[] = [el('p', { class: 'k-state', 'data-state-word': '', 'aria-live': 'polite' }, badge.text)];
  const run = status.run;
  if (run !== null) {
    parts.push(el('p', { class: 'k-line k-procedure', 'data-procedure': '' }, run.procedure, run.well === null ? '' : ` · well ${run.well}`));
    const step = run.step === null ? 'no step yet' : `step: ${run.step.function}, line ${run.step.line}`;
    parts.push(el('p', { class: 'k-small', 'data-step': '' }, `${step} · running for `, el('span', { 'data-elapsed': '' }, formatDuration((now - Date.parse(run.startedAt)) / 1000))));
    if (run.waitingForUser !== null) parts.push(el('p', { class: 'k-line k-warn' }, `Waiting for you: ${run.waitingForUser.action}`));
    if (current.estimate !== null) parts.push(countdownBlock(current, now));
  } else {
    parts.push(el('p', { class: 'k-line', 'data-summary': '' }, status.summary));
    if (status.since !== null) parts.push(el('p', { class: 'k-small' }, `since ${when(status.since)}`));
  }
  parts.push(el('p', { class: 'k-line k-who', 'data-user': '' }, status.user === null ? 'Nobody logged in' : `${status.user.name}, since ${when(status.user.since)}`));
  const problem = status.lastProblem;
  parts.push(
    el(
      'p',
      { class: `k-small k-problem${problem !== null && !problem.resolved ? ' open' : ''}`, 'data-problem': '' },
      problem === null ? 'No problem reported' : `${problem.resolved ? 'Last problem' : '⚠ Problem'}: ${problem.message} (${when(problem.at)}${problem.resolved ? ', resolved' : ''})`,
    ),
  );
  const link = current.connectivity;
  if (link.state !== 'online') parts.push(el('p', { class: 'k-small k-link' }, link.reason ?? link.state));
  return parts;
}

/** The countdown: time left ticking by the second, the likely end and its p10–p90 range. */
function countdownBlock(current: InstrumentView, now: number): HTMLElement {
  const estimate = current.estimate!;
  const left = countdown(estimate, now, localClock);
  if (estimate.estimatedEnd === null) return el('div', { class: 'k-countdown', 'data-countdown': '' }, el('p', { class: 'k-line' }, left.headline), el('p', { class: 'k-small' }, left.detail));
  const secondsLeft = (Date.parse(estimate.estimatedEnd) - now) / 1000;
  const big = secondsLeft > 10 ? `${clockLeft(secondsLeft)} left` : left.headline;
  const seconds = Date.parse(estimate.p90End) - Date.parse(estimate.p10End) < 10 * 60_000;
  const [early, late, end] = [estimate.p10End, estimate.p90End, estimate.estimatedEnd].map((iso) => localClock(Date.parse(iso), seconds));
  return el(
    'div',
    { class: 'k-countdown', 'data-countdown': '' },
    el('p', { class: 'k-left', 'data-left': '' }, big),
    // Screen readers hear the rounded headline (it changes by the minute), not every second.
    el('p', { class: 'visually-hidden', 'aria-live': 'polite' }, left.headline),
    left.progress === null ? null : el('progress', { max: '1', value: left.progress.toFixed(3) }),
    el('p', { class: 'k-small', 'data-range': '' }, `ends ≈ ${end} · likely ${early}–${late} (p10–p90 of ${estimate.basedOnRuns} past runs)`),
  );
}

/** `12:04`, `1:02:09`: the time left, by the second. */
function clockLeft(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (value: number) => String(value).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

connectLive({
  snapshot(snapshot) {
    known = snapshot.instruments.map((one) => one.id).sort();
    view = snapshot.instruments.find((one) => one.id === instrument) ?? null;
    draw();
  },
  change(change) {
    if (change.type !== 'instrument_changed') return;
    if (!known.includes(change.view.id)) known = [...known, change.view.id].sort();
    if (change.view.id === instrument) view = change.view;
    draw();
  },
});
setInterval(draw, 1000);
