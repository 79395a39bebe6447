import { describe, expect, it } from 'vitest';
import { logLine, logText, reportOf } from '../support/attune-log.ts';

// Each rule of the rules for procedure runs (docs/attune-logs.md §4), pinned on a small log.

const DAY = '2021-05-04';
const FILE = `System_${DAY}_08-00-00.log`;
const NEXT_FILE = `System_${DAY}_13-00-00.log`;
type Entry = [time: string, message: string, user?: string];

function log(entries: Entry[]): string {
  return logText(entries.map(([time, message, user]) => logLine(`${DAY} ${time}`, message, { user: user ?? 'ana' })));
}

const at = (time: string) => `${DAY}T${time}Z`;

describe('rules for procedure runs', () => {
  it('1. a run opens at Event:Starting_<P>, source logged', () => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Startup']]) }]);
    expect(runs).toMatchObject([{ procedure: 'Startup', source: 'logged', startedAt: at('09:00:00.000'), endedAt: null, outcome: null, logFile: FILE }]);
  });

  it.each([
    ['0', 'completed'],
    ['FUNCTION_CANCELLED', 'cancelled'],
    ['-3', 'failed'],
    ['CLOG_DETECTED', 'failed'],
  ])('2. Event:<P>_Done~%s closes the run as %s, the code kept', (code, outcome) => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Debubble'], ['09:02:00.000', `Event:Debubble_Done~${code}`]]) }]);
    expect(runs).toMatchObject([{ procedure: 'Debubble', endedAt: at('09:02:00.000'), outcome, outcomeCode: code }]);
  });

  it('3. a Done line of another procedure changes no run, even twice', () => {
    const { runs } = reportOf([
      {
        name: FILE,
        text: log([
          ['09:00:00.000', 'Event:Starting_Calibration'],
          ['09:01:00.000', 'Instrument function Rinse executing line 2'],
          ['09:02:00.000', 'Event:Rinse_Done~0'],
          ['09:02:00.100', 'Event:Rinse_Done~0'],
          ['09:03:00.000', 'Event:Calibration_Done~0'],
        ]),
      },
    ]);
    expect(runs).toMatchObject([{ procedure: 'Calibration', endedAt: at('09:03:00.000'), outcome: 'completed', steps: 1 }]);
  });

  it('4. any step line while a run is open is a step of that run', () => {
    const { runs, monitor } = reportOf([
      {
        name: FILE,
        text: log([
          ['09:00:00.000', 'Event:Starting_Calibration'],
          ['09:00:10.000', 'Instrument function Calibration executing line 1'],
          ['09:00:20.000', 'Instrument function Rinse executing line 2'],
          ['09:00:30.000', 'Instrument function Rinse executing line 3'],
        ]),
      },
    ]);
    expect(runs).toMatchObject([{ procedure: 'Calibration', steps: 3, step: { function: 'Rinse', line: 3, since: at('09:00:30.000') } }]);
    expect(monitor.context.run?.steps).toBe(3);
  });

  it('5. Instrument Idle closes an open run as unconfirmed', () => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Calibration'], ['09:09:00.000', 'Instrument function Instrument Idle executing line 1']]) }]);
    expect(runs).toMatchObject([{ procedure: 'Calibration', endedAt: at('09:09:00.000'), outcome: 'unconfirmed', outcomeCode: null }]);
  });

  it('5. (and after it) steps with no open run make an inferred run, closed by its own Done line', () => {
    const { runs } = reportOf([
      {
        name: FILE,
        text: log([
          ['09:00:00.000', 'Event:Starting_Calibration'],
          ['09:09:00.000', 'Instrument function Instrument Idle executing line 1'],
          ['09:09:05.000', 'Instrument function Rinse executing line 2'],
          ['09:09:10.000', 'Instrument function Rinse executing line 0'],
          ['09:09:11.000', 'Event:Rinse_Done~0'],
        ]),
      },
    ]);
    expect(runs.map((r) => [r.procedure, r.source, r.outcome, r.startedAt, r.steps])).toEqual([
      ['Calibration', 'logged', 'unconfirmed', at('09:00:00.000'), 0],
      ['Rinse', 'inferred', 'completed', at('09:09:05.000'), 2],
    ]);
  });

  it('6. a new start while a run is open closes it as unconfirmed at that moment', () => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Calibration'], ['09:10:00.000', 'Event:Starting_Startup']]) }]);
    expect(runs.map((r) => [r.procedure, r.outcome, r.endedAt])).toEqual([
      ['Calibration', 'unconfirmed', at('09:10:00.000')],
      ['Startup', null, null],
    ]);
  });

  it('7. the end of a file closes the open run as interrupted at its last readable line', () => {
    const crashed = `${log([['09:00:00.000', 'Event:Starting_Acquisition'], ['09:00:30.000', 'Instrument function Acquisition executing line 4']])}${DAY} 09:00:31.000,Info,ana,Instr`;
    const relaunched = log([['13:00:05.000', 'login']]);
    const { runs, alerts } = reportOf([
      { name: FILE, text: crashed },
      { name: NEXT_FILE, text: relaunched },
    ]);
    expect(runs).toMatchObject([{ procedure: 'Acquisition', outcome: 'interrupted', endedAt: at('09:00:30.000') }]);
    expect(alerts).toMatchObject([{ kind: 'procedure_interrupted', raisedAt: at('09:00:30.000'), resolvedAt: at('13:00:00.000') }]);
  });

  it('7. a file is only known to have ended once a newer one appears', () => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Startup']]) }]);
    expect(runs[0]?.endedAt).toBeNull();
  });

  it('7. a newer launch ends a file whose end was never seen, at its last event', () => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Startup'], ['09:05:00.000', 'Instrument function Startup executing line 9']]) }]);
    expect(runs[0]?.endedAt).toBeNull();
    const later = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Starting_Startup'], ['09:05:00.000', 'Instrument function Startup executing line 9']]) }]);
    // The same monitor then sees the next launch without a log_ended in between.
    const outputs = later.monitor.feed({ type: 'log_opened', at: at('13:00:00.000'), source: { file: NEXT_FILE, offset: 0, index: -1, line: 0 } });
    expect(outputs.find((o) => o.type === 'run_closed')).toMatchObject({ run: { outcome: 'interrupted', endedAt: at('09:05:00.000') } });
  });

  it('8. a Done line with no open run opens no run', () => {
    const { runs } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'Event:Power On Self-test_Done~0'], ['09:00:01.000', 'Event:Rinse_Done~-1']]) }]);
    expect(runs).toEqual([]);
  });

  it('9. an acquisition after "on well <W>" belongs to that well; after a plain one it is a tube', () => {
    const { runs, alerts } = reportOf([
      {
        name: FILE,
        text: log([
          ['08:59:00.000', 'login'],
          ['09:00:00.000', 'Acquisition initiated on well C11 Preload 50'],
          ['09:00:00.500', 'Event:Starting_Acquisition'],
          ['09:00:10.000', 'Data:New Bubble Detected at  12'],
          ['09:00:20.000', 'Event:Acquisition_Done~0'],
          ['09:01:00.000', 'Event:Starting_Rinse'],
          ['09:02:00.000', 'Event:Rinse_Done~0'],
          ['09:03:00.000', 'Acquisition initiated'],
          ['09:03:00.500', 'Event:Starting_Acquisition'],
          ['09:03:20.000', 'Event:Acquisition_Done~0'],
        ]),
      },
    ]);
    expect(runs.map((r) => [r.procedure, r.well])).toEqual([
      ['Acquisition', 'C11'],
      ['Rinse', null],
      ['Acquisition', null],
    ]);
    expect(alerts).toMatchObject([{ kind: 'bubble', well: 'C11', procedure: 'Acquisition', user: 'ana' }]);
  });

  it('10. a run belongs to the user logged in when it opened (none if nobody was)', () => {
    const { runs } = reportOf([
      {
        name: FILE,
        text: log([
          ['09:00:00.000', 'Event:Starting_Startup', ''],
          ['09:10:00.000', 'login', 'ana'],
          ['09:11:00.000', 'Event:Startup_Done~0', 'ana'],
          ['09:12:00.000', 'Event:Starting_Rinse', 'ana'],
          ['09:12:30.000', 'logout', 'ana'],
          ['09:13:00.000', 'login', 'bo'],
          ['09:14:00.000', 'Event:Rinse_Done~0', 'bo'],
        ]),
      },
    ]);
    expect(runs.map((r) => [r.procedure, r.user])).toEqual([
      ['Startup', null],
      ['Rinse', 'ana'],
    ]);
  });

  it('11. a session opens at login and closes at logout or at the end of its file', () => {
    const { sessions } = reportOf([
      { name: FILE, text: log([['09:00:00.000', 'login', 'ana'], ['09:30:00.000', 'logout', 'ana'], ['10:00:00.000', 'login', 'bo'], ['10:20:00.000', 'Event:Starting_Rinse', 'bo']]) },
      { name: NEXT_FILE, text: log([['13:00:10.000', 'login', 'cy']]) },
    ]);
    expect(sessions.map((s) => [s.user, s.startedAt, s.endedAt, s.endReason])).toEqual([
      ['ana', at('09:00:00.000'), at('09:30:00.000'), 'logout'],
      ['bo', at('10:00:00.000'), at('10:20:00.000'), 'software_exit'],
      ['cy', at('13:00:10.000'), null, null],
    ]);
  });

  it('11. a login while someone is logged in ends their session', () => {
    const { sessions } = reportOf([{ name: FILE, text: log([['09:00:00.000', 'login', 'ana'], ['09:30:00.000', 'login', 'bo']]) }]);
    expect(sessions.map((s) => [s.user, s.endReason])).toEqual([
      ['ana', 'next_login'],
      ['bo', null],
    ]);
  });
});

describe('alerts the log reveals', () => {
  it('raises one bubble alert per run, and one large-bubble alert, both resolved when the run ends', () => {
    const { alerts, runs } = reportOf([
      {
        name: FILE,
        text: log([
          ['08:59:00.000', 'login'],
          ['09:00:00.000', 'Acquisition initiated'],
          ['09:00:01.000', 'Event:Starting_Acquisition'],
          ['09:00:10.000', 'Data:New Bubble Detected at  100'],
          ['09:00:11.000', 'Data:New Bubble Detected at  140'],
          ['09:00:12.000', 'BUBBLE SIZE GREATER THAN THRESHOLD!!!'],
          ['09:00:20.000', 'Event:Acquisition_Done~0'],
        ]),
      },
    ]);
    expect(runs[0]).toMatchObject({ bubbles: 2, largeBubbles: 1 });
    expect(alerts.map((a) => [a.kind, a.raisedAt, a.resolvedAt])).toEqual([
      ['bubble', at('09:00:10.000'), at('09:00:20.000')],
      ['large_bubble', at('09:00:12.000'), at('09:00:20.000')],
    ]);
    expect(alerts[0]?.message).toBe('Bubble detected during Acquisition (tube) by ana');
  });

  it('raises procedure_failed, resolved by the next completed run of that procedure', () => {
    const { alerts } = reportOf([
      {
        name: FILE,
        text: log([
          ['08:59:00.000', 'login'],
          ['09:00:00.000', 'Event:Starting_Startup'],
          ['09:05:00.000', 'Event:Startup_Done~ERR_PRESSURE'],
          ['09:06:00.000', 'Event:Starting_Rinse'],
          ['09:07:00.000', 'Event:Rinse_Done~0'],
          ['09:08:00.000', 'Event:Starting_Startup'],
          ['09:20:00.000', 'Event:Startup_Done~0'],
        ]),
      },
    ]);
    expect(alerts).toMatchObject([{ kind: 'procedure_failed', raisedAt: at('09:05:00.000'), resolvedAt: at('09:20:00.000'), message: 'Startup failed with code ERR_PRESSURE by ana' }]);
  });

  it('ignores bubbles with no run open', () => {
    expect(reportOf([{ name: FILE, text: log([['09:00:00.000', 'Data:New Bubble Detected at  3']]) }]).alerts).toEqual([]);
  });
});
