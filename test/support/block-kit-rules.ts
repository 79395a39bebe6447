// Block Kit's limits as Slack enforces them (docs.slack.dev/reference/block-kit), written apart
// from src/slack/blocks/limits.ts on purpose: the fake must catch a builder that gets a limit
// wrong, not agree with it. A surface that breaks any rule is answered `invalid_blocks`.

type Json = unknown;

export type Surface = 'view' | 'message';

const MAX_BLOCKS: Record<Surface, number> = { view: 100, message: 50 };

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly errors: string[] = [];
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();

  fail(pointer: string, message: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }

  text(value: Json, pointer: string, max: number, kinds: readonly string[] = ['plain_text', 'mrkdwn']): void {
    if (!isRecord(value)) return this.fail(pointer, 'must provide an object');
    if (typeof value.type !== 'string' || !kinds.includes(value.type)) this.fail(`${pointer}/type`, `must be one of ${kinds.join(', ')}`);
    if (typeof value.text !== 'string' || value.text.length === 0) return this.fail(`${pointer}/text`, 'must be more than 0 characters');
    if (value.text.length > max) this.fail(`${pointer}/text`, `must be less than ${max + 1} characters`);
  }

  element(value: Json, pointer: string): void {
    if (!isRecord(value)) return this.fail(pointer, 'must provide an object');
    if (value.type === 'button') {
      this.text(value.text, `${pointer}/text`, 75, ['plain_text']);
      this.actionId(value.action_id, `${pointer}/action_id`);
      if (value.value !== undefined && (typeof value.value !== 'string' || value.value.length > 2000)) this.fail(`${pointer}/value`, 'must be less than 2001 characters');
      if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') this.fail(`${pointer}/style`, 'must be primary or danger');
      return;
    }
    if (value.type === 'image') return;
    this.fail(`${pointer}/type`, `element type ${String(value.type)} is not known to this fake`);
  }

  actionId(value: Json, pointer: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || value.length === 0 || value.length > 255) return this.fail(pointer, 'must be 1 to 255 characters');
    if (this.actionIds.has(value)) this.fail(pointer, 'action_id must be unique');
    this.actionIds.add(value);
  }

  block(value: Json, pointer: string): void {
    if (!isRecord(value)) return this.fail(pointer, 'must provide an object');
    if (value.block_id !== undefined) {
      if (typeof value.block_id !== 'string' || value.block_id.length > 255) this.fail(`${pointer}/block_id`, 'must be less than 256 characters');
      else if (this.blockIds.has(value.block_id)) this.fail(`${pointer}/block_id`, 'block_id must be unique');
      else this.blockIds.add(value.block_id);
    }
    switch (value.type) {
      case 'divider':
        return;
      case 'header':
        return this.text(value.text, `${pointer}/text`, 150, ['plain_text']);
      case 'section': {
        if (value.text === undefined && value.fields === undefined) return this.fail(pointer, 'must provide text or fields');
        if (value.text !== undefined) this.text(value.text, `${pointer}/text`, 3000);
        if (value.fields !== undefined) {
          if (!Array.isArray(value.fields) || value.fields.length > 10) this.fail(`${pointer}/fields`, 'must provide no more than 10 items');
          else value.fields.forEach((field, i) => this.text(field, `${pointer}/fields/${i}`, 2000));
        }
        if (value.accessory !== undefined) this.element(value.accessory, `${pointer}/accessory`);
        return;
      }
      case 'context': {
        const elements = value.elements;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) return this.fail(`${pointer}/elements`, 'must provide 1 to 10 items');
        elements.forEach((element, i) => (isRecord(element) && element.type === 'image' ? undefined : this.text(element, `${pointer}/elements/${i}`, 3000)));
        return;
      }
      case 'actions': {
        const elements = value.elements;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) return this.fail(`${pointer}/elements`, 'must provide 1 to 25 items');
        elements.forEach((element, i) => this.element(element, `${pointer}/elements/${i}`));
        return;
      }
      default:
        this.fail(`${pointer}/type`, `block type ${String(value.type)} is not known to this fake`);
    }
  }
}

/** Slack-style error strings for the blocks of a view or message; empty when valid. */
export function blockKitErrors(blocks: Json, surface: Surface): string[] {
  const checker = new Checker();
  if (!Array.isArray(blocks)) {
    checker.fail('/blocks', 'must provide an array');
    return checker.errors;
  }
  if (blocks.length > MAX_BLOCKS[surface]) checker.fail('/blocks', `must provide no more than ${MAX_BLOCKS[surface]} items`);
  blocks.forEach((block, i) => checker.block(block, `/blocks/${i}`));
  return checker.errors;
}
