import { describe, expect, it } from 'vitest';
import { cachedDetection, detectAttuneProcess, tasklistHasProcess } from '../../src/agent/attune-process.ts';

const tasklist = [
  '"System Idle Process","0","Services","0","8 K"',
  '"explorer.exe","4312","Console","1","92,412 K"',
  '"Attune NxT Software.exe","6120","Console","1","412,020 K"',
  '',
].join('\r\n');

describe('Attune process detection', () => {
  it('finds the software by part of its image name, case-insensitively', () => {
    expect(tasklistHasProcess(tasklist, 'attune')).toBe(true);
    expect(tasklistHasProcess(tasklist, 'Attune NxT Software.exe')).toBe(true);
    expect(tasklistHasProcess(tasklist, 'cytometer')).toBe(false);
  });

  it('does not match inside other columns', () => {
    expect(tasklistHasProcess('"explorer.exe","4312","Attune","1","8 K"', 'attune')).toBe(false);
  });

  it('cannot tell off Windows', async () => {
    expect(await detectAttuneProcess('attune', 'linux')).toBe('unknown');
  });
});

describe('cached detection', () => {
  it('asks again only when the last answer is old', async () => {
    let now = 0;
    let asked = 0;
    const detect = cachedDetection(async () => ++asked % 2 === 1, 30_000, () => now);
    expect(await detect()).toBe(true);
    now = 29_999;
    expect(await detect()).toBe(true);
    now = 30_000;
    expect(await detect()).toBe(false);
    expect(asked).toBe(2);
  });
});
