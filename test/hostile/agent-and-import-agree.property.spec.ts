import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileCheckpointSchema, freshCheckpoint } from '../../src/agent/file-checkpoint.ts';
import { eventItemsOfEnd, eventItemsOfLines } from '../../src/agent/line-events.ts';
import { admissibleItems, parseRecord, serializeRecords } from '../../src/agent/outbox-records.ts';
import { LogEventReader } from '../../src/events/log-event-reader.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import { LogParser } from '../../src/parser/log-parser.ts';
import { eventsRequestSchema, MAX_BATCH_EVENTS, type EventItem } from '../../src/protocol/events-api.ts';
import { rawLinesOf } from '../../src/store/import-log-files.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { logLine } from '../support/attune-log.ts';
import { TEST_ZONE } from '../support/test-agent.ts';

// For any lines (glued from many messages, longer than a line may be, binary, cut
// short), the agent's path and `import` store the same events. The first property runs the
// agent's whole pipeline in memory, restarts from its checkpoint included, through the outbox's
// record format and the server's schema; the second a real agent against the real server, fewer
// times (each run starts both) and with shorter glued lines (each of a line's events carries the
// whole line today: 1,000 of them take a real agent seconds; the line limit itself is covered
// above and in line-event-limit.int.spec.ts).

const FILE = 'System_2020-10-25_01-30-00.log';

type Line =
  | { kind: 'record'; message: string; crlf: boolean }
  | { kind: 'huge'; chars: number }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'cut'; message: string; keep: number };

/** Messages, glued from several up to `gluedMax` (past the line limit, MAX_EVENT_INDEX, now and then when it allows). */
function messages(gluedMax: number): fc.Arbitrary<string> {
  const glued = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 2, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: Math.min(995, gluedMax), max: gluedMax }) });
  return fc.oneof(
    fc.constantFrom(
      'Event:Starting_Rinse',
      'Instrument function Rinse executing line 3',
      'Event:Rinse_Done~0',
      'Instrument function Instrument Idle executing line 1',
      'Data:New Bubble Detected at 3',
      'User Action required to continue-action="Load tube"',
    ),
    glued.map((n) => 'Event:A_Done~0'.repeat(n)),
    fc.string({ maxLength: 120 }),
  );
}

function lines(gluedMax: number): fc.Arbitrary<Line> {
  const message = messages(gluedMax);
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('record' as const), message, crlf: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), chars: fc.integer({ min: 60_000, max: 70_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('binary' as const), bytes: fc.uint8Array({ maxLength: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), message, keep: fc.nat() }) },
  );
}

/** Local times from 01:40 on the day clocks go back in Berlin, 7 minutes apart: into the repeated hour. */
function localTime(i: number): string {
  return new Date(Date.UTC(2020, 9, 25, 1, 40) + i * 7 * 60_000).toISOString().replace('T', ' ').slice(0, 23);
}

function fileBytes(lines: readonly Line[], unfinished: string): Buffer {
  const parts = lines.map((l, i): Buffer => {
    switch (l.kind) {
      case 'record':
        return Buffer.from(`${logLine(localTime(i), l.message)}${l.crlf ? '\r\n' : '\n'}`);
      case 'huge':
        return Buffer.from(`${logLine(localTime(i), 'x'.repeat(l.chars))}\n`);
      case 'binary':
        return Buffer.concat([Buffer.from(l.bytes), Buffer.from('\n')]);
      case 'cut': {
        const full = logLine(localTime(i), l.message);
        return Buffer.from(`${full.slice(0, l.keep % (full.length + 1))}\n`);
      }
    }
  });
  return Buffer.concat([...parts, Buffer.from(unfinished)]);
}

/** What `import` stores of the file: events with their raw lines, in order. */
function importedItems(dir: string, ended: boolean): EventItem[] {
  const items: EventItem[] = [];
  readLogFiles(listLogFiles([dir]), {
    toUtc: localToUtcConverter(TEST_ZONE),
    endNewest: ended,
    onEvents: (events, lines) => {
      const raws = rawLinesOf(events, lines);
      events.forEach((event, i) => items.push({ event, raw: raws[i] ?? null }));
    },
  });
  return items;
}

/**
 * The agent's path in memory: the file read in chunks, stopped and resumed from its checkpoint
 * (saved as JSON) at `restarts`, items through the outbox's admission and record format, each
 * batch checked against the server's request schema.
 */
function agentItems(bytes: Buffer, cuts: readonly number[], restarts: ReadonlySet<number>, ended: boolean): { items: EventItem[]; refused: number } {
  const toUtc = localToUtcConverter(TEST_ZONE);
  let checkpoint = freshCheckpoint(FILE);
  let parser = new LogParser({ file: FILE });
  let reader = new LogEventReader(FILE, toUtc);
  const items: EventItem[] = [];
  let refused = 0;
  const ship = (read: EventItem[]) => {
    const admission = admissibleItems(read);
    refused += admission.refused.length;
    const { text } = serializeRecords(admission.admitted, 1);
    for (const recordLine of text.split('\n').filter((l) => l !== '')) {
      const record = parseRecord(recordLine);
      if (record === null) throw new Error('the outbox wrote a record it cannot read back');
      items.push(...record.items);
    }
  };
  let position = 0;
  const points = [...new Set([...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  points.forEach((end, i) => {
    if (end > position) ship(eventItemsOfLines(reader, parser.push(bytes.subarray(position, end))));
    position = Math.max(position, end);
    if (restarts.has(i)) {
      // A restart: only the checkpoint (as saved, in JSON) survives; the unfinished line is read again.
      checkpoint = fileCheckpointSchema.parse(JSON.parse(JSON.stringify({ ...checkpoint, offset: parser.offset, lineNumber: parser.linesRead, reader: reader.resumeState })));
      parser = new LogParser({ file: FILE, startOffset: checkpoint.offset, startLineNumber: checkpoint.lineNumber });
      reader = new LogEventReader(FILE, toUtc, checkpoint.reader);
      position = checkpoint.offset;
    }
  });
  if (position < bytes.length) ship(eventItemsOfLines(reader, parser.push(bytes.subarray(position))));
  if (ended) {
    const last = eventItemsOfLines(reader, parser.end());
    ship(eventItemsOfEnd(reader, parser.offset, last));
  }
  for (let i = 0; i < items.length; i += MAX_BATCH_EVENTS) {
    eventsRequestSchema.parse({ instrument_id: 'nxt-1', events: items.slice(i, i + MAX_BATCH_EVENTS) });
  }
  return { items, refused };
}

describe('the agent and import agree on any lines', () => {
  it('in memory: same events and raw lines, through restarts, the outbox format and the server schema', () => {
    fc.assert(
      fc.property(
        fc.array(lines(1100), { maxLength: 20 }),
        fc.string({ maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat({ max: 6 }), { maxLength: 3 }),
        fc.boolean(),
        (lines, unfinished, cuts, restartAt, ended) => {
          const bytes = fileBytes(lines, unfinished);
          const dir = mkdtempSync(join(tmpdir(), 'attune-agree-'));
          try {
            writeFileSync(join(dir, FILE), bytes);
            const agent = agentItems(bytes, cuts, new Set(restartAt), ended);
            expect(agent.refused).toBe(0);
            const imported = importedItems(dir, ended);
            // Compared as text first (fast on thousands of events with long raw lines), then for a readable difference.
            if (JSON.stringify(agent.items) !== JSON.stringify(imported)) expect(agent.items).toEqual(imported);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('a real agent and the real server store the rows import stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lines(60), { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (lines, cuts) => {
        const world = await AgentScenario.withRealServer('agree');
        try {
          const bytes = fileBytes(lines, '');
          const path = join(world.logsDir, FILE);
          writeFileSync(path, '');
          await world.start();
          let position = 0;
          for (const cut of [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((a, b) => a - b)) {
            appendFileSync(path, bytes.subarray(position, cut));
            position = Math.max(position, cut);
            await world.expectDelivered(false, 20_000);
          }
        } finally {
          await world.dispose();
        }
      }),
      // A failure is reported as found: shrinking would start a server and an agent per step.
      { numRuns: 4, endOnFailure: true },
    );
  }, 120_000);
});
