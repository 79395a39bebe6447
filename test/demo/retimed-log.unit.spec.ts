import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DemoLogWriter } from '../../src/demo/demo-log-writer.ts';
import { formatLogTime, launchFileName, playLength, readRecordedLog, retimedLines } from '../../src/demo/retimed-log.ts';
import { FIXTURE_PATH } from '../store/store-test-kit.ts';

const text = ['2020-09-11 12:26:48.728,Info,,Application,first,4132', '09/11/2020 12:27:48.728 PM,Info,jsmith,Security,login,4132', 'a line with no time', '2020-09-11 13:26:48.500,Info,,Data,"Data:x~1, 2",4132'].join('\r\n') + '\r\n';

describe('a recorded log re-timed to now', () => {
  it('moves every line to the new launch, gaps shrunk by the speed, in the Attune layout and UTC', () => {
    const log = readRecordedLog(text);
    const start = Date.parse('2024-05-06T09:00:00.000Z');
    expect(retimedLines(log, start, 60)).toEqual([
      { atMs: start + 12, text: '2024-05-06 09:00:00.012,Info,,Application,first,4132\r\n' },
      { atMs: start + 1012, text: '2024-05-06 09:00:01.012,Info,jsmith,Security,login,4132\r\n' },
      { atMs: start + 1012, text: 'a line with no time\r\n' },
      { atMs: start + 60_008, text: '2024-05-06 09:01:00.008,Info,,Data,"Data:x~1, 2",4132\r\n' },
    ]);
    expect(playLength(log, 60)).toBe(60_009);
    expect(launchFileName(start)).toBe('System_2024-05-06_09-00-00.log');
    expect(formatLogTime(start + 5)).toBe('2024-05-06 09:00:00.005');
  });

  it('keeps the real fixture’s lines, only their times changed', () => {
    const fixture = readFileSync(FIXTURE_PATH, 'utf8');
    const lines = retimedLines(readRecordedLog(fixture), Date.parse('2024-05-06T09:00:00.000Z'), 60);
    expect(lines).toHaveLength(1212);
    expect(lines.map((line) => line.text.slice(23)).join('')).toBe(fixture.split('\n').map((line) => line.slice(23)).join('\n'));
    expect(lines.every((line, i) => i === 0 || line.atMs >= lines[i - 1]!.atMs)).toBe(true);
    // 2 h 31 min of log in about 2.5 minutes.
    expect(lines.at(-1)!.atMs - lines[0]!.atMs).toBeGreaterThan(150_000);
    expect(lines.at(-1)!.atMs - lines[0]!.atMs).toBeLessThan(152_000);
  });
});

describe('the demo log writer', () => {
  it('writes past launches at once and the live one line by line as they fall due, then relaunches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-demo-writer-'));
    try {
      const log = readRecordedLog(text);
      const launches: string[] = [];
      // An hour of log at 36,000× is 100 ms; relaunched 200 ms after.
      const writer = new DemoLogWriter({ dir, log, speed: 36_000, pauseMs: 200, onLaunch: (file) => launches.push(file) });
      const past = writer.writePast(2);
      expect(past.map((path) => readFileSync(path, 'utf8').split('\r\n').length)).toEqual([5, 5]);
      writer.start();
      await expect.poll(() => launches.length, { timeout: 5000 }).toBe(2);
      writer.stop();
      const first = readFileSync(launches[0]!, 'utf8');
      expect(first.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3},/gm, 'TIME,').split('\r\n')).toEqual([
        'TIME,Info,,Application,first,4132',
        'TIME,Info,jsmith,Security,login,4132',
        'a line with no time',
        'TIME,Info,,Data,"Data:x~1, 2",4132',
        '',
      ]);
      expect(readdirSync(dir).sort()).toEqual([...past, ...launches].map((path) => path.slice(dir.length + 1)).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
