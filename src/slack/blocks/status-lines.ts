import type { ConnectivityView, InstrumentView } from '../../live/instrument-view.ts';
import type { InstrumentStatus } from '../../machines/instrument-status.ts';
import { durationText, msBetween, remainingText } from './durations.ts';
import { dateToken, fieldText } from './mrkdwn.ts';
import { progressBar } from './progress-bar.ts';

type OpenRun = NonNullable<InstrumentStatus['run']>;

/**
 * "`▓▓▓▓░░░░░░` 41 % · running 12 min · ends ≈ 14:55 (about 8 min left)". The bar is time toward
 * the estimated end: the estimator already weighs the steps done against those past runs had
 * left (docs/estimates.md), so its end is the best measure of progress there is; the live
 * status carries the current step but not how many a run of this kind usually takes. Without an
 * estimate there is no bar, only what is known: elapsed time and why there is no countdown.
 */
export function countdownLine(run: OpenRun, estimate: InstrumentView['estimate'], nowMs: number): string {
  const elapsedMs = msBetween(run.startedAt, nowMs);
  const running = `running ${durationText(elapsedMs)}`;
  // An estimate of another run (the feed lagging a step behind) must not be shown against this one.
  if (estimate === null || estimate.startedAt !== run.startedAt) return `:stopwatch: ${running}`;
  if (estimate.estimatedEnd === null) {
    return `:stopwatch: ${running} · no estimate yet (${estimate.basedOnRuns} comparable past run${estimate.basedOnRuns === 1 ? '' : 's'})`;
  }
  const endMs = Date.parse(estimate.estimatedEnd);
  const total = endMs - Date.parse(run.startedAt);
  const fraction = total > 0 ? elapsedMs / total : 0;
  const percent = Math.min(99, Math.max(0, Math.floor(fraction * 100)));
  return `:stopwatch: \`${progressBar(fraction)}\` ${percent} % · ${running} · ends ≈ ${dateToken(estimate.estimatedEnd)} (${remainingText(endMs, nowMs)})`;
}

const CONNECTIVITY_WORDS: Record<ConnectivityView['state'], string> = {
  online: ':satellite_antenna: online',
  late: ':hourglass_flowing_sand: heartbeat late',
  offline: ':electric_plug: offline (PC off or agent stopped)',
  software_silent: ':zzz: Attune software silent',
  agent_error: ':x: agent cannot read the logs',
  unknown: ':grey_question: connection unknown',
};

/**
 * "online since 08:02", or when the server is not hearing well, the state, why, and the last
 * heartbeat: "offline (PC off or agent stopped) · no heartbeat for 7 min · last heartbeat 14:02".
 * While online the heartbeat's time is left out on purpose: it moves every 10 s, and showing it
 * would make every tick a new view for every viewer (a publish each, against Slack's rate
 * limit) to say what "online" already says: heard from within the grace period.
 */
export function connectivityLine(connectivity: ConnectivityView): string {
  if (connectivity.state === 'online') return `${CONNECTIVITY_WORDS.online}${connectivity.since === null ? '' : ` since ${dateToken(connectivity.since, '{date_short_pretty} {time}')}`}`;
  const parts = [CONNECTIVITY_WORDS[connectivity.state]];
  if (connectivity.reason !== null) parts.push(fieldText(connectivity.reason, 160));
  parts.push(connectivity.lastHeartbeatAt === null ? 'no heartbeat yet' : `last heartbeat ${dateToken(connectivity.lastHeartbeatAt, '{date_short_pretty} {time}')}`);
  return parts.join(' · ');
}

/** The open alerts first (they matter now), else the last problem, marked resolved. */
export function lastProblemLine(status: InstrumentStatus): string | null {
  const open = status.openAlerts[status.openAlerts.length - 1];
  if (open !== undefined) {
    const more = status.openAlerts.length > 1 ? ` (+${status.openAlerts.length - 1} more open)` : '';
    return `:warning: *${fieldText(open.message, 200)}* at ${dateToken(open.raisedAt)}${more}`;
  }
  const last = status.lastProblem;
  if (last === null) return null;
  return `:white_check_mark: Last problem: ${fieldText(last.message, 200)} at ${dateToken(last.at, '{date_short_pretty} {time}')}${last.resolved ? ' (resolved)' : ''}`;
}
