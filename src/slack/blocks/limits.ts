// Block Kit's limits (docs.slack.dev/reference/block-kit): Slack answers `invalid_blocks` to a
// view or message that breaks any of them, and the whole home tab or alert is then lost, so every
// builder keeps within them by construction and truncates rather than fails.
export const LIMITS = {
  viewBlocks: 100,
  messageBlocks: 50,
  sectionText: 3000,
  contextElements: 10,
  /** A text object inside a context block: documented at 3000 like any text object. */
  contextText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** `text` of a message, the notification fallback (Slack truncates beyond 40,000; keep it short). */
  messageText: 4000,
} as const;

/** Slack counts characters as code units would suggest; cutting inside a surrogate pair would send half an emoji. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Lines of mrkdwn joined within `max`: whole lines are dropped from the end rather than one cut
 * in the middle, which could split a `<!date^…>` token or a `*bold*` pair and garble the rest.
 * The first line (the card's title) is kept in any case, clipped if it alone is too long.
 */
export function joinLinesWithin(lines: readonly string[], max: number): string {
  let text = '';
  for (const line of lines) {
    const next = text === '' ? line : `${text}\n${line}`;
    if (next.length > max) return text === '' ? clip(line, max) : text;
    text = next;
  }
  return text;
}
