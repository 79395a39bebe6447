import { readFileSync } from 'node:fs';
import type { LogEvent } from '../src/events/log-events.ts';
import { localToUtcConverter } from '../src/events/local-time.ts';
import { LogEventReader } from '../src/events/log-event-reader.ts';
import { listLogFiles } from '../src/logs/log-file-set.ts';
import { LogParser } from '../src/parser/log-parser.ts';
import { readRunsReport } from '../src/reports/read-runs-report.ts';
import { bigLogFile } from './big-log.ts';
import { bestOf, printRow, rate } from './measure.ts';

const CHUNK = 1 << 16;

/** Parse-only and parse+machines (what `runs` does) on a log of ≥ 1,000,000 lines. */
export function parseBench(): void {
  const big = bigLogFile(1_000_000);
  const bytes = readFileSync(big.path);
  const mb = bytes.length / 1e6;
  console.log(`\nParsing (${big.lines.toLocaleString('en-US')} lines, ${mb.toFixed(1)} MB, one core)`);

  const parseOnly = bestOf(3, () => {
    const parser = new LogParser({ file: big.name });
    let records = 0;
    for (let at = 0; at < bytes.length; at += CHUNK) records += parser.push(bytes.subarray(at, at + CHUNK)).length;
    return records + parser.end().length;
  });
  printRow('parse only: lines/s', rate(big.lines, parseOnly.seconds), '≥ 1,000,000');
  printRow('parse only: MB/s', (mb / parseOnly.seconds).toFixed(1));

  const toUtc = localToUtcConverter('UTC');
  const parseEvents = bestOf(3, () => {
    const parser = new LogParser({ file: big.name });
    const reader = new LogEventReader(big.name, toUtc);
    const events: LogEvent[] = [];
    let count = 0;
    for (let at = 0; at < bytes.length; at += CHUNK) {
      for (const line of parser.push(bytes.subarray(at, at + CHUNK))) reader.read(line, events);
      count += events.length;
      events.length = 0;
    }
    return count;
  });
  printRow('parse + events: lines/s', rate(big.lines, parseEvents.seconds));

  const files = listLogFiles([big.path]);
  const withMachines = bestOf(3, () => readRunsReport(files, 'UTC').report.runs.length);
  printRow('parse + machines (`runs`): lines/s', rate(big.lines, withMachines.seconds), '≥ 500,000');
  printRow('parse + machines (`runs`): MB/s', (mb / withMachines.seconds).toFixed(1));
  printRow('runs found', withMachines.result.toLocaleString('en-US'));
}
