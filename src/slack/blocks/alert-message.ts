import type { LiveAlert } from '../../live/instrument-view.ts';
import { joinLinesWithin, LIMITS } from './limits.ts';
import { dateToken, fieldText, mention } from './mrkdwn.ts';
import type { SlackMessage } from './status-message.ts';

const KIND_TITLES: Record<LiveAlert['kind'], { emoji: string; title: string }> = {
  bubble: { emoji: ':large_blue_circle:', title: 'Bubble' },
  large_bubble: { emoji: ':rotating_light:', title: 'Large bubble: data at risk' },
  procedure_failed: { emoji: ':x:', title: 'Procedure failed' },
  procedure_interrupted: { emoji: ':boom:', title: 'Run interrupted: the Attune software stopped mid-run' },
  agent_offline: { emoji: ':electric_plug:', title: 'Instrument PC offline' },
  software_silent: { emoji: ':zzz:', title: 'Attune software silent' },
  agent_error: { emoji: ':warning:', title: 'Agent cannot read the logs' },
};

/**
 * The channel message of an alert, open or resolved (`chat.update` replaces the first with the
 * second, so a resolved alert reads as such in the channel's history). `slackUser` is the
 * mapped Slack id of the Attune user at the time, mentioned so they are notified.
 */
export function alertMessage(alert: LiveAlert, slackUser: string | null, options: { resolvedWhileStopped?: boolean } = {}): SlackMessage {
  const { emoji, title } = KIND_TITLES[alert.kind];
  const resolved = alert.resolvedAt !== null;
  // Found resolved at start-up: only "by then" is known.
  const when = !resolved ? '' : options.resolvedWhileStopped === true ? `resolved while the monitor was stopped (noticed ${dateToken(alert.resolvedAt!, '{date_short_pretty} {time}')})` : `resolved at ${dateToken(alert.resolvedAt!)}`;
  const head = resolved
    ? `:white_check_mark: ~${title}~ on *${fieldText(alert.instrumentId, 64)}*: ${when}`
    : `${emoji} *${title}* on *${fieldText(alert.instrumentId, 64)}*`;
  const details = [
    alert.procedure !== null ? fieldText(alert.procedure, 80) : null,
    alert.well !== null ? `well ${fieldText(alert.well, 8)}` : null,
    slackUser !== null ? mention(slackUser) : alert.user !== null ? fieldText(alert.user, 80) : null,
    `raised ${dateToken(alert.raisedAt, '{date_short_pretty} {time}')}`,
  ].filter((part): part is string => part !== null);
  const lines = [head, fieldText(alert.message, 500), details.join(' · ')];
  // `text` is what notifications and screen readers show, and Slack reads it as mrkdwn too.
  const plainTitle = `${resolved ? 'Resolved: ' : ''}${title} on ${fieldText(alert.instrumentId, 64)}`;
  return {
    text: `${plainTitle}: ${fieldText(alert.message, 500)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: joinLinesWithin(lines, LIMITS.sectionText) } }],
  };
}
