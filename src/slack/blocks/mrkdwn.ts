import { clip } from './limits.ts';

/** Text from the log (user names, procedure names, messages) is data: `&`, `<` and `>` must not become Slack markup. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Log text bounded first (so no single field can crowd out a card) and then escaped. */
export function fieldText(text: string, max = 120): string {
  return escapeText(clip(text.replace(/\s+/g, ' ').trim(), max));
}

/** A moment shown in each viewer's own zone by Slack; the fallback (UTC) is for clients that cannot. */
export function dateToken(iso: string, format: '{time}' | '{date_short_pretty} {time}' = '{time}'): string {
  const date = new Date(iso);
  const unix = Math.floor(date.getTime() / 1000);
  const fallback = format === '{time}' ? `${iso.slice(11, 16)} UTC` : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return `<!date^${unix}^${format}|${fallback}>`;
}

export function mention(slackUserId: string): string {
  return `<@${slackUserId}>`;
}
