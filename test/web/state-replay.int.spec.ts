import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayStates } from '../../src/web/replay/state-replay.ts';
import { FIXTURE_PATH, importPaths, openStore, shiftedFixture, tempDir } from '../store/store-test-kit.ts';

// Replays computed from a real SQLite file holding the real log, launched on three days.

function fixtureStore() {
  const dir = tempDir();
  const store = openStore(join(dir, 'store.db'));
  importPaths(store, 'attune-1', [shiftedFixture(dir, -1), FIXTURE_PATH, shiftedFixture(dir, 1)]);
  return store;
}

const DAY = { from: '2020-09-11T00:00:00.000Z', to: '2020-09-12T00:00:00.000Z' };

describe('replaying a day of stored events through a fresh Monitor', () => {
  it('steps through every change of state of the day, from the launch to the software’s exit', () => {
    const store = fixtureStore();
    const replay = replayStates(store.logEvents('attune-1', store.launchFileAt('attune-1', DAY.from) ?? undefined), DAY);
    expect(replay.initial).toEqual(['monitor.instrument.softwareOff', 'monitor.session.loggedOut']);
    const first = replay.steps[0]!;
    expect(first).toMatchObject({ event: 'log_opened', at: '2020-09-11T12:26:48.000Z', from: replay.initial, to: ['monitor.instrument.idle', 'monitor.session.loggedOut'] });
    expect(replay.steps[1]).toMatchObject({ event: 'login', detail: 'jsmith', to: ['monitor.instrument.idle', 'monitor.session.loggedIn'], outputs: ['jsmith logged in'] });
    const startup = replay.steps.find((step) => step.event === 'procedure_started');
    expect(startup).toMatchObject({ detail: 'Startup', from: ['monitor.instrument.idle', 'monitor.session.loggedIn'], to: ['monitor.instrument.running', 'monitor.session.loggedIn'], outputs: ['run opened: Startup'] });
    // Every step starts where the one before it ended.
    replay.steps.forEach((step, i) => expect(step.from).toEqual(i === 0 ? replay.initial : replay.steps[i - 1]!.to));
    expect(replay.steps.every((step) => step.at >= DAY.from && step.at < DAY.to)).toBe(true);
    // The next launch (a day later) ended this one at its last line (rule 7).
    expect(replay.steps.at(-1)).toMatchObject({ event: 'log_ended', at: '2020-09-11T14:57:56.362Z', to: ['monitor.instrument.softwareOff', 'monitor.session.loggedOut'] });
    const runsOpened = replay.steps.flatMap((step) => step.outputs).filter((words) => words.startsWith('run opened'));
    expect(runsOpened).toHaveLength(35);
    expect(replay.steps.filter((step) => step.event === 'bubble_detected')).toHaveLength(1);
    store.close();
  });

  it('gives the same steps from the launch before the window as from the first event ever stored', () => {
    const store = fixtureStore();
    const window = { from: '2020-09-11T13:00:00.000Z', to: '2020-09-11T14:00:00.000Z' };
    const launch = store.launchFileAt('attune-1', window.from);
    expect(launch).toBe('System_2020-09-11_12-26-48.log');
    const fromLaunch = replayStates(store.logEvents('attune-1', launch!), window);
    const fromStart = replayStates(store.logEvents('attune-1'), window);
    expect(fromLaunch).toEqual(fromStart);
    expect(fromLaunch.initial).toEqual(['monitor.instrument.running', 'monitor.session.loggedIn']);
    expect(fromLaunch.steps.length).toBeGreaterThan(10);
    store.close();
  });

  it('says where the machine stood in a window with no events, and stops at the limit', () => {
    const store = fixtureStore();
    const quiet = { from: '2020-09-11T16:00:00.000Z', to: '2020-09-11T17:00:00.000Z' };
    const replay = replayStates(store.logEvents('attune-1', store.launchFileAt('attune-1', quiet.from)!), quiet);
    // The next launch ended this one at its last line (14:57): the software was off.
    expect(replay).toMatchObject({ steps: [], truncated: false, initial: ['monitor.instrument.softwareOff', 'monitor.session.loggedOut'] });
    const limited = replayStates(store.logEvents('attune-1'), DAY, 5);
    expect(limited.steps).toHaveLength(5);
    expect(limited.truncated).toBe(true);
    expect(store.launchFileAt('attune-1', '2019-01-01T00:00:00.000Z')).toBeNull();
    store.close();
  });
});
