import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTUNE_COMMAND } from '../../src/slack/listeners/commands/attune-command.ts';

const manifest = readFileSync(new URL('../../slack/manifest.yml', import.meta.url), 'utf8');

/** The items of a YAML block list under `key` (this manifest's layout: `key:` then `- item` lines). */
function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('#')) continue;
    const item = /^\s*- (\S+)$/.exec(line);
    if (item === null) break;
    items.push(item[1]!);
  }
  return items;
}

describe('slack/manifest.yml', () => {
  it('asks for the scopes the app uses and no more', () => {
    // chat.postMessage / chat.update → chat:write; conversations.open → im:write; /attune → commands.
    expect(listUnder('bot')).toEqual(['chat:write', 'im:write', 'commands']);
  });

  it('subscribes to what the listeners handle, with the home tab, interactivity and Socket Mode on', () => {
    expect(listUnder('bot_events')).toEqual(['app_home_opened']);
    expect(manifest).toContain(`- command: ${ATTUNE_COMMAND}\n`);
    expect(manifest).toMatch(/home_tab_enabled: true/);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/socket_mode_enabled: true/);
  });
});
