import { escapeHtml } from '../html.ts';
import { emojiToHtml } from './emoji.ts';

/**
 * Slack `mrkdwn` text → HTML, as the Slack client shows it: `*bold*`, `_italic_`, `~strike~`,
 * `` `code` ``, ```` ```blocks``` ````, `>` quotes, line breaks, and the `<…>` tokens (links, user
 * and channel mentions, `<!date^…>` times, `<!here>`). Everything else is escaped text: the
 * output is safe to put in a page whatever the input.
 */
export function mrkdwnToHtml(text: string): string {
  // Code blocks first: nothing inside them is formatted.
  return text
    .split(/```([\s\S]*?)```/)
    .map((part, i) => (i % 2 === 1 ? `<pre>${escapeHtml(decodeEntities(part.replace(/^\n/, '')))}</pre>` : lines(part)))
    .join('')
    .replace(/\n/g, '<br>');
}

function lines(text: string): string {
  const out: string[] = [];
  let inQuote = false;
  for (const line of text.split('\n')) {
    const quoted = /^(?:>|&gt;) ?/.exec(line);
    if (quoted !== null && !inQuote) out.push('<blockquote>');
    if (quoted === null && inQuote) out.push('</blockquote>');
    inQuote = quoted !== null;
    out.push(inline(quoted === null ? line : line.slice(quoted[0].length)), '\n');
  }
  out.pop();
  if (inQuote) out.push('</blockquote>');
  return out.join('');
}

/** Plain text (`plain_text` objects): escaped, line breaks kept. */
export function plainToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

function inline(line: string): string {
  return line
    .split(/(<[^<>\n]+>)/)
    .map((part, i) => (i % 2 === 1 ? token(part.slice(1, -1)) : emojiToHtml(formatted(escapeHtml(decodeEntities(part))))))
    .join('');
}

/** Slack escapes `&`, `<` and `>` in text as entities; shown as the characters. */
function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const EDGE_BEFORE = '(^|[\\s(\\[{"\'>])';
const EDGE_AFTER = '(?=$|[\\s)\\]}.,;:!?"\'<])';
const MARKS: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(`${EDGE_BEFORE}\`([^\`]+)\``, 'g'), '$1<code>$2</code>'],
  [new RegExp(`${EDGE_BEFORE}\\*([^*\\s](?:[^*]*[^*\\s])?)\\*${EDGE_AFTER}`, 'g'), '$1<b>$2</b>'],
  [new RegExp(`${EDGE_BEFORE}_([^_\\s](?:[^_]*[^_\\s])?)_${EDGE_AFTER}`, 'g'), '$1<i>$2</i>'],
  [new RegExp(`${EDGE_BEFORE}~([^~\\s](?:[^~]*[^~\\s])?)~${EDGE_AFTER}`, 'g'), '$1<s>$2</s>'],
];

function formatted(escaped: string): string {
  return MARKS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), escaped);
}

/** One `<…>` token, without its brackets. */
function token(body: string): string {
  const [target = '', label] = splitLabel(body);
  if (target.startsWith('@')) return `<span class="bk-mention">@${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="bk-mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!date^')) return dateToken(target, label);
  if (target.startsWith('!')) return `<span class="bk-mention">@${escapeHtml(label ?? target.slice(1).split('^')[0] ?? '')}</span>`;
  if (/^(?:https?:|mailto:)/i.test(target)) {
    return `<a href="${escapeHtml(target)}" rel="noopener noreferrer" target="_blank">${escapeHtml(decodeEntities(label ?? target))}</a>`;
  }
  return escapeHtml(`<${decodeEntities(body)}>`);
}

function splitLabel(body: string): [string, string | undefined] {
  const bar = body.indexOf('|');
  return bar === -1 ? [body, undefined] : [body.slice(0, bar), body.slice(bar + 1)];
}

/**
 * `<!date^UNIX^{format}^link|fallback>`: Slack shows it in each viewer's own zone. The page does
 * the same (its script fills in `data-format`); until then the fallback text shows.
 */
function dateToken(target: string, fallback: string | undefined): string {
  const [, seconds = '', format = ''] = target.split('^');
  const unix = Number(seconds);
  if (!Number.isFinite(unix) || seconds === '') return escapeHtml(fallback ?? '');
  const iso = new Date(unix * 1000).toISOString();
  return `<time class="bk-date" datetime="${iso}" data-format="${escapeHtml(format)}">${escapeHtml(decodeEntities(fallback ?? iso))}</time>`;
}
