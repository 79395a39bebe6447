import { describe, expect, it } from 'vitest';
import { freshCheckpoint, type FileCheckpoint } from '../../src/agent/file-checkpoint.ts';
import { planReads } from '../../src/agent/follow-plan.ts';

const ended = (name: string): FileCheckpoint => ({ ...freshCheckpoint(name), ended: true });

describe('planReads', () => {
  it('reads unfinished System_*.log files in launch order, ending all but the newest', () => {
    const names = ['System_2020-09-12_08-00-00.log', 'notes.txt', 'System_2020-09-11_12-26-48.log', 'Audit_2020-09-11.log', 'System_2020-09-13_07-30-00.log'];
    expect(planReads(names, () => undefined)).toEqual({
      newest: 'System_2020-09-13_07-30-00.log',
      reads: [
        { name: 'System_2020-09-11_12-26-48.log', endAtEof: true },
        { name: 'System_2020-09-12_08-00-00.log', endAtEof: true },
        { name: 'System_2020-09-13_07-30-00.log', endAtEof: false },
      ],
    });
  });

  it('skips files already ended', () => {
    const checkpoints = new Map([['System_2020-09-11_12-26-48.log', ended('System_2020-09-11_12-26-48.log')]]);
    const plan = planReads(['System_2020-09-11_12-26-48.log', 'System_2020-09-12_08-00-00.log'], (name) => checkpoints.get(name));
    expect(plan.reads).toEqual([{ name: 'System_2020-09-12_08-00-00.log', endAtEof: false }]);
  });

  it('follows nothing in a folder without logs', () => {
    expect(planReads(['readme.txt'], () => undefined)).toEqual({ newest: null, reads: [] });
  });

  it('ends a file that appears with an older name than the one followed (the PC clock went back)', () => {
    const plan = planReads(['System_2020-09-13_07-30-00.log', 'System_2020-09-12_08-00-00.log'], () => undefined);
    expect(plan.reads[0]).toEqual({ name: 'System_2020-09-12_08-00-00.log', endAtEof: true });
  });
});
