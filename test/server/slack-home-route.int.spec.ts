import { afterEach, describe, expect, it } from 'vitest';
import { SlackStore } from '../../src/slack/store/slack-store.ts';
import { INSTRUMENT, postHeartbeat, startWorld, type World } from './server-test-kit.ts';

// GET /api/v1/slack/home-blocks: Attune's part of a Slack Home tab, for a lab's bot in any language.

let world: World | null = null;
afterEach(() => {
  world?.close();
  world = null;
});

async function blocksOf(w: World, query: string): Promise<{ status: number; body: { blocks?: unknown[]; error?: { code: string; message: string } } }> {
  const response = await w.app.request(`/api/v1/slack/home-blocks${query}`);
  return { status: response.status, body: (await response.json()) as { blocks?: unknown[] } };
}

describe('GET /api/v1/slack/home-blocks', () => {
  it('answers the instrument cards with the viewer’s own "Notify me" buttons', async () => {
    const w = (world = startWorld());
    expect((await postHeartbeat(w)).status).toBe(200);
    new SlackStore(w.store.connectionForOwnTables()).subscribe(INSTRUMENT, 'U0ALICE', '2020-09-11T12:00:00.000Z');

    const alice = await blocksOf(w, '?user=U0ALICE');
    expect(alice.status).toBe(200);
    expect(JSON.stringify(alice.body.blocks)).toContain('Attune instruments');
    expect(JSON.stringify(alice.body.blocks)).toContain(`*${INSTRUMENT}*`);
    expect(JSON.stringify(alice.body.blocks)).toContain('Stop notifying me');
    expect(JSON.stringify((await blocksOf(w, '?user=U0BOB')).body.blocks)).toContain('Notify me when free');
    expect(JSON.stringify((await blocksOf(w, '')).body.blocks)).toContain('Notify me when free');
    const bare = await blocksOf(w, '?user=U0ALICE&notify=false&max_blocks=10');
    expect(JSON.stringify(bare.body.blocks)).not.toContain('attune_notify_when_free');
    expect(bare.body.blocks!.length).toBeLessThanOrEqual(10);
  });

  it('refuses what is not a Slack user id, with a 400 that says so', async () => {
    const w = (world = startWorld());
    const answer = await blocksOf(w, '?user=%3C!channel%3E');
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toContain('must be a Slack user id');
    expect((await blocksOf(w, '?max_blocks=1000')).status).toBe(400);
  });
});
