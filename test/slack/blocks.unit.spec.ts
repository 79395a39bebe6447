import { describe, expect, it } from 'vitest';
import type { InstrumentView, LiveAlert } from '../../src/live/instrument-view.ts';
import { alertMessage } from '../../src/slack/blocks/alert-message.ts';
import { remainingText } from '../../src/slack/blocks/durations.ts';
import { homeBlocks, homeView } from '../../src/slack/blocks/home-view.ts';
import { clip } from '../../src/slack/blocks/limits.ts';
import { parseNotifyValue } from '../../src/slack/blocks/notify-button.ts';
import { progressBar } from '../../src/slack/blocks/progress-bar.ts';
import { statusMessage } from '../../src/slack/blocks/status-message.ts';
import type { RunBrief } from '../../src/slack/run-history.ts';
import { blockKitErrors } from '../support/block-kit-rules.ts';
import { acquiringView, at, freeView, onlineConnectivity, T0 } from '../support/instrument-views.ts';

const NOW = Date.parse(T0);

function home(instruments: InstrumentView[], today = new Map<string, RunBrief[]>(), subscriptions = new Set<string>()) {
  return homeView({ instruments, today, subscriptions }, NOW);
}

function texts(blocks: unknown): string {
  return JSON.stringify(blocks);
}

const absurd = (what: string, n = 5000) => `${what}-${'Ω🧪<&>'.repeat(n / 5)}`;

describe('home tab card', () => {
  it('shows a running procedure with a progress bar, elapsed time, the end as a Slack date and the minutes left', () => {
    const text = texts(home([acquiringView()]).blocks);
    const end = Math.floor(Date.parse(at(8)) / 1000);
    expect(text).toContain(':red_circle: *Busy*');
    expect(text).toContain('*jsmith* logged in since <!date^');
    expect(text).toContain('*Acquisition* · well B3 · step 5 · 17 steps so far');
    expect(text).toContain('`▓▓▓▓▓▓░░░░` 60 % · running 12 min');
    expect(text).toContain(`ends ≈ <!date^${end}^{time}|09:08 UTC> (about 8 min left)`);
    expect(text).toContain(':satellite_antenna: online since <!date^');
    expect(text).not.toContain('last heartbeat'); // moves every 10 s: shown only when it matters
  });

  it('says why there is no countdown rather than inventing one', () => {
    const view = acquiringView('attune-1', {
      estimate: { procedure: 'Acquisition', startedAt: at(-12), step: null, estimatedEnd: null, p10End: null, p90End: null, basedOnRuns: 1, reason: 'short_history' },
    });
    const text = texts(home([view]).blocks);
    expect(text).toContain('running 12 min · no estimate yet (1 comparable past run)');
    expect(text).not.toContain('min left');
  });

  it('shows a wait for the user, the last problem, and today in brief', () => {
    const view = acquiringView('attune-1', { action: 'Raise the tube lifter' });
    view.status.lastProblem = { kind: 'bubble', at: at(-5), message: 'Bubble detected during Acquisition (well B3) by jsmith', resolved: true };
    const today = new Map([
      [
        'attune-1',
        [
          { procedure: 'Rinse', outcome: 'completed' as const, startedAt: at(-50), endedAt: at(-48) },
          { procedure: 'Startup', outcome: 'failed' as const, startedAt: at(-40), endedAt: at(-30) },
          { procedure: 'Rinse', outcome: 'completed' as const, startedAt: at(-20), endedAt: at(-18) },
          { procedure: 'Acquisition', outcome: null, startedAt: at(-12), endedAt: null },
        ],
      ],
    ]);
    const text = texts(home([view], today).blocks);
    expect(text).toContain(':raised_hand: *Waiting for the user:* Raise the tube lifter');
    expect(text).toContain('Last problem: Bubble detected during Acquisition (well B3) by jsmith');
    expect(text).toContain('(resolved)');
    expect(text).toContain('Today: 3 runs (Rinse ×2, Startup ×1) · 1 failed or interrupted · last ended <!date^');
  });

  it('marks an instrument the server no longer hears from as offline, with why and when it last did', () => {
    const view = freeView('attune-3');
    view.connectivity = { ...onlineConnectivity(at(-7)), state: 'offline', reason: 'no heartbeat for 7 min' };
    const text = texts(home([view]).blocks);
    expect(text).toContain(':black_circle: *Offline*');
    expect(text).toContain('offline (PC off or agent stopped) · no heartbeat for 7 min · last heartbeat <!date^');
  });

  it('offers "Notify me when free", or to stop once asked', () => {
    const [asked, notAsked] = [home([freeView('a')], undefined, new Set(['a'])), home([freeView('a')])];
    expect(texts(notAsked.blocks)).toContain('"text":"Notify me when free"');
    expect(texts(notAsked.blocks)).toContain('"value":"on:a"');
    expect(texts(asked.blocks)).toContain('"value":"off:a"');
    expect(parseNotifyValue('on:attune-1')).toEqual({ instrumentId: 'attune-1', subscribe: true });
    expect(parseNotifyValue('off:attune-1')).toEqual({ instrumentId: 'attune-1', subscribe: false });
    expect(parseNotifyValue('on:../etc')).toBeNull();
    expect(parseNotifyValue(42)).toBeNull();
  });

  it('escapes log text, so a user name cannot ping the channel or break the markup', () => {
    const text = texts(home([acquiringView('attune-1', { user: '<!channel> & co' })]).blocks);
    expect(text).toContain('&lt;!channel&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });
});

describe('home tab within Block Kit limits', () => {
  it('holds 30 instruments with absurdly long names, messages and actions, and the fake Slack accepts it', () => {
    const instruments = Array.from({ length: 30 }, (_, i) => {
      const view = acquiringView(`attune-${String(i).padStart(2, '0')}-${'x'.repeat(52)}`, { user: absurd('user'), procedure: absurd('procedure'), action: absurd('action') });
      view.status.summary = absurd('summary');
      view.status.openAlerts = [{ id: 'a', kind: 'bubble', raisedAt: at(-1), message: absurd('bubble') }];
      view.connectivity = { ...view.connectivity, state: 'agent_error', reason: absurd('reason') };
      return view;
    });
    const today = new Map(instruments.map((view) => [view.id, Array.from({ length: 40 }, (_, j) => ({ procedure: absurd(`p${j}`, 400), outcome: 'failed' as const, startedAt: at(-j - 1), endedAt: at(-j) }))]));
    const view = home(instruments, today);
    expect(blockKitErrors(view.blocks, 'view')).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(texts(view.blocks).match(/attune_notify_when_free:/g)).toHaveLength(30);
  });

  it('shows as many instruments as fit and says how many more there are', () => {
    const instruments = Array.from({ length: 45 }, (_, i) => freeView(`attune-${String(i).padStart(2, '0')}`));
    const view = home(instruments);
    expect(blockKitErrors(view.blocks, 'view')).toEqual([]);
    expect(texts(view.blocks)).toContain('…and 13 more instruments: type `/attune` to see every one.');
    expect(texts(view.blocks).match(/attune_notify_when_free:/g)).toHaveLength(32);
  });

  it('has at most one primary button: "Open dashboard" when the dashboard has an address, none otherwise', () => {
    const instruments = Array.from({ length: 5 }, (_, i) => freeView(`attune-${i}`));
    const primaries = (blocks: unknown) => (JSON.stringify(blocks).match(/"style":"primary"/g) ?? []).length;
    expect(primaries(home(instruments).blocks)).toBe(0);
    const withDashboard = homeView({ instruments, today: new Map(), subscriptions: new Set() }, Date.parse(T0), { dashboardUrl: 'https://attune.lab.example/' });
    expect(primaries(withDashboard.blocks)).toBe(1);
    expect(blockKitErrors(withDashboard.blocks, 'view')).toEqual([]);
    expect(JSON.stringify(withDashboard.blocks)).toContain('"url":"https://attune.lab.example/"');
  });

  it('keeps a section for a lab bot’s tab within the blocks it is given, naming the command it was given', () => {
    const instruments = Array.from({ length: 45 }, (_, i) => freeView(`attune-${String(i).padStart(2, '0')}`));
    const blocks = homeBlocks({ instruments, today: new Map(), subscriptions: new Set() }, Date.parse(T0), { maxBlocks: 40, command: '/instrument' });
    expect(blocks.length).toBeLessThanOrEqual(40);
    expect(JSON.stringify(blocks)).toContain('type `/instrument` to see every one');
  });

  it('is the same for the same input (pure: time is passed in)', () => {
    expect(home([acquiringView(), freeView()])).toEqual(home([freeView(), acquiringView()]));
  });
});

describe('/attune status', () => {
  it('lists every instrument within a message’s 50 blocks', () => {
    const instruments = [acquiringView('attune-0', { user: absurd('user') }), ...Array.from({ length: 59 }, (_, i) => freeView(`attune-${i + 1}`))];
    const message = statusMessage(instruments, NOW);
    expect(blockKitErrors(message.blocks, 'message')).toEqual([]);
    expect(message.text).toBe('Attune status: 60 instruments, 59 free');
    expect(texts(message.blocks)).toContain('about 8 min left');
    expect(texts(message.blocks)).toContain('…and 12 more instruments');
  });
});

describe('alert message', () => {
  const alert: LiveAlert = {
    id: 'bubble:System_x.log@99',
    instrumentId: 'attune-1',
    kind: 'bubble',
    raisedAt: at(0),
    resolvedAt: null,
    message: 'Bubble detected during Acquisition (well B3) by jsmith',
    procedure: 'Acquisition',
    well: 'B3',
    user: 'jsmith',
  };

  it('names the condition, the instrument, and mentions the mapped Slack user', () => {
    const message = alertMessage(alert, 'U0123ABCD');
    expect(message.text).toBe('Bubble on attune-1: Bubble detected during Acquisition (well B3) by jsmith');
    expect(texts(message.blocks)).toContain(':large_blue_circle: *Bubble* on *attune-1*');
    expect(texts(message.blocks)).toContain('Acquisition · well B3 · <@U0123ABCD> · raised <!date^');
    expect(texts(alertMessage(alert, null).blocks)).toContain('· jsmith ·');
  });

  it('reads as resolved once updated', () => {
    const message = alertMessage({ ...alert, resolvedAt: at(1) }, null);
    expect(message.text).toMatch(/^Resolved: Bubble on attune-1/);
    expect(texts(message.blocks)).toContain(':white_check_mark: ~Bubble~ on *attune-1*: resolved at <!date^');
  });

  it('stays within limits with an absurd message', () => {
    const message = alertMessage({ ...alert, message: absurd('m', 50_000), procedure: absurd('p') }, null);
    expect(blockKitErrors(message.blocks, 'message')).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(4000);
  });
});

describe('text helpers', () => {
  it('draw a bar that is never full while running', () => {
    expect(progressBar(0)).toBe('░░░░░░░░░░');
    expect(progressBar(0.55)).toBe('▓▓▓▓▓░░░░░');
    expect(progressBar(3)).toBe('▓▓▓▓▓▓▓▓▓░');
    expect(progressBar(Number.NaN)).toBe('░░░░░░░░░░');
  });

  it('count minutes left up, and say when the estimate has passed', () => {
    expect(remainingText(NOW + 61_000, NOW)).toBe('about 2 min left');
    expect(remainingText(NOW + 1_000, NOW)).toBe('about 1 min left');
    expect(remainingText(NOW - 150_000, NOW)).toBe('running 2 min past the estimate');
  });

  it('clip without splitting an emoji', () => {
    expect(clip('ab🧪', 3)).toBe('ab…');
    expect(clip('a🧪b', 3)).toBe('a…');
  });
});

describe("the fake's Block Kit rules (what the builders are checked against)", () => {
  it('refuse what Slack refuses', () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(blockKitErrors(Array.from({ length: 101 }, () => ({ type: 'divider' })), 'view')).toEqual(['must provide no more than 100 items [json-pointer:/blocks]']);
    expect(blockKitErrors(Array.from({ length: 51 }, () => ({ type: 'divider' })), 'message')).toHaveLength(1);
    expect(blockKitErrors([section('x'.repeat(3001))], 'view')).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    expect(blockKitErrors([section('')], 'view')).toHaveLength(1);
    expect(blockKitErrors([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], 'view')).toHaveLength(1);
    expect(blockKitErrors([{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }], 'view')).toHaveLength(1);
    const button = (text: string, id: string) => ({ type: 'button', text: { type: 'plain_text', text }, action_id: id });
    expect(blockKitErrors([{ ...section('x'), accessory: button('b'.repeat(76), 'a') }], 'view')).toHaveLength(1);
    expect(blockKitErrors([{ ...section('x'), accessory: button('b', 'same') }, { ...section('y'), accessory: button('c', 'same') }], 'view')).toEqual([
      'action_id must be unique [json-pointer:/blocks/1/accessory/action_id]',
    ]);
  });
});
