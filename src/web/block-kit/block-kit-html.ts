import { z } from 'zod';
import { escapeHtml } from '../html.ts';
import { mrkdwnToHtml, plainToHtml } from './mrkdwn.ts';

/**
 * Block Kit (the blocks of a Slack view or message) → HTML that looks like Slack shows it, for the
 * home-tab preview. The blocks are read leniently with zod: a field this preview does not know is
 * ignored, a block it cannot draw says so instead of vanishing. Buttons and menus are drawn
 * disabled: the preview is read-only.
 */

const textObject = z.looseObject({ type: z.enum(['mrkdwn', 'plain_text']), text: z.string() });
type TextObject = z.infer<typeof textObject>;

const element = z.looseObject({
  type: z.string(),
  text: textObject.optional(),
  style: z.string().optional(),
  url: z.string().optional(),
  image_url: z.string().optional(),
  alt_text: z.string().optional(),
  placeholder: textObject.optional(),
});
type Element = z.infer<typeof element>;

const block = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('header'), text: textObject }),
  z.looseObject({ type: z.literal('divider') }),
  z.looseObject({ type: z.literal('section'), text: textObject.optional(), fields: z.array(textObject).optional(), accessory: element.optional() }),
  z.looseObject({ type: z.literal('context'), elements: z.array(z.union([textObject, element])) }),
  z.looseObject({ type: z.literal('actions'), elements: z.array(element) }),
  z.looseObject({ type: z.literal('image'), image_url: z.string(), alt_text: z.string(), title: textObject.optional() }),
]);

export function blockKitToHtml(blocks: readonly unknown[]): string {
  return blocks.map(blockHtml).join('\n');
}

function blockHtml(raw: unknown): string {
  const parsed = block.safeParse(raw);
  if (!parsed.success) {
    const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String(raw.type) : 'unknown';
    return `<div class="bk-block bk-unsupported">[${escapeHtml(type)} block: not shown in this preview]</div>`;
  }
  const b = parsed.data;
  switch (b.type) {
    case 'header':
      return `<h2 class="bk-block bk-header">${plainToHtml(b.text.text)}</h2>`;
    case 'divider':
      return '<hr class="bk-block bk-divider">';
    case 'section': {
      const text = b.text === undefined ? '' : `<div class="bk-text">${textHtml(b.text)}</div>`;
      const fields = b.fields === undefined ? '' : `<div class="bk-fields">${b.fields.map((field) => `<div class="bk-field">${textHtml(field)}</div>`).join('')}</div>`;
      const accessory = b.accessory === undefined ? '' : `<div class="bk-accessory">${elementHtml(b.accessory)}</div>`;
      return `<div class="bk-block bk-section"><div class="bk-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-block bk-context">${b.elements.map((item) => (isText(item) ? `<span>${textHtml(item)}</span>` : elementHtml(item))).join('')}</div>`;
    case 'actions':
      return `<div class="bk-block bk-actions">${b.elements.map(elementHtml).join('')}</div>`;
    case 'image':
      return `<figure class="bk-block bk-image"><img src="${safeUrl(b.image_url)}" alt="${escapeHtml(b.alt_text)}">${b.title === undefined ? '' : `<figcaption>${textHtml(b.title)}</figcaption>`}</figure>`;
  }
}

function isText(item: TextObject | Element): item is TextObject {
  return (item.type === 'mrkdwn' || item.type === 'plain_text') && typeof (item as { text?: unknown }).text === 'string';
}

function textHtml(text: TextObject): string {
  return text.type === 'mrkdwn' ? mrkdwnToHtml(text.text) : plainToHtml(text.text);
}

function elementHtml(item: Element): string {
  switch (item.type) {
    case 'button': {
      const style = item.style === 'primary' || item.style === 'danger' ? ` bk-${item.style}` : '';
      return `<button class="bk-button${style}" type="button" disabled>${item.text === undefined ? '' : plainToHtml(item.text.text)}</button>`;
    }
    case 'image':
      return `<img class="bk-icon" src="${safeUrl(item.image_url ?? '')}" alt="${escapeHtml(item.alt_text ?? '')}">`;
    case 'static_select':
    case 'overflow':
    case 'users_select':
    case 'channels_select':
      return `<select class="bk-select" disabled><option>${item.placeholder === undefined ? '…' : escapeHtml(item.placeholder.text)}</option></select>`;
    default:
      return `<span class="bk-unsupported">[${escapeHtml(item.type)}]</span>`;
  }
}

/** Only web addresses may be loaded by the preview. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : '';
}
