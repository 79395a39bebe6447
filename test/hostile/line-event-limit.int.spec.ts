import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventItemsOfLines } from '../../src/agent/line-events.ts';
import { MAX_EVENT_INDEX } from '../../src/events/line-event-limit.ts';
import { LogEventReader } from '../../src/events/log-event-reader.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { DEFAULT_MAX_LINE_BYTES, LogParser } from '../../src/parser/log-parser.ts';
import { eventItemSchema } from '../../src/protocol/events-api.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { eventsOf, logLine, logText } from '../support/attune-log.ts';
import type { RealIngestServer } from '../support/real-ingest-server.ts';

// A line glued from 1,100 messages. Before: the agent's server got 999 of the
// line's events and none of the 95 after it, while `import` stored them all. Now one rule caps
// a line at MAX_EVENT_INDEX + 1 events in every reader, and the server accepts what it yields.

const FILE = 'System_2020-09-11_12-26-48.log';

function gluedLog(glued: number): string {
  const around = (from: number) =>
    Array.from({ length: 100 }, (_, i) => logLine(`2020-09-11 12:${String(30 + Math.floor((from + i) / 60)).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')}.000`, `Instrument function Rinse executing line ${from + i}`));
  return logText([...around(0), logLine('2020-09-11 12:34:00.000', 'Event:A_Done~0'.repeat(glued)), ...around(300)]);
}

describe('a line that yields more events than a line may', () => {
  it('keeps the first events and folds the rest into one line_overflow with their count', () => {
    const events = eventsOf(FILE, gluedLog(1100)).filter((e) => e.source.line === 101);
    expect(events).toHaveLength(MAX_EVENT_INDEX + 1);
    expect(events.slice(0, MAX_EVENT_INDEX).every((e) => e.type === 'procedure_done')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'line_overflow', omitted: 100, source: { index: MAX_EVENT_INDEX, line: 101 } });
  });

  it('keeps every event of a line exactly at the limit', () => {
    const events = eventsOf(FILE, gluedLog(MAX_EVENT_INDEX + 1)).filter((e) => e.source.line === 101);
    expect(events).toHaveLength(MAX_EVENT_INDEX + 1);
    expect(events.every((e) => e.type === 'procedure_done')).toBe(true);
  });

  it('keeps a line of exactly 64 KiB + 1 byte as its first 64 KiB, which the server accepts (found by the property below)', () => {
    const line = logLine('2020-09-11 12:34:00.000', 'x'.repeat(65_491));
    expect(Buffer.byteLength(line)).toBe(DEFAULT_MAX_LINE_BYTES + 1);
    const items = eventItemsOfLines(new LogEventReader(FILE, localToUtcConverter('UTC')), new LogParser({ file: FILE }).push(Buffer.from(`${line}\n`)));
    expect(items.at(-1)).toMatchObject({ event: { type: 'line_unparsed', reason: 'line_too_long' }, raw: line.slice(0, DEFAULT_MAX_LINE_BYTES) });
    for (const item of items) expect(eventItemSchema.safeParse(item).success).toBe(true);
  });

  describe('through the agent and the real server', () => {
    let world: AgentScenario<RealIngestServer>;
    beforeEach(async () => {
      world = await AgentScenario.withRealServer('glued');
    });
    afterEach(() => world.dispose());

    it('stores every event import stores, the lines after the glued one included', async () => {
      writeFileSync(join(world.logsDir, FILE), gluedLog(1100));
      await world.start();
      // A deadline only: 1,000 events each carrying their 15 KB line take a loaded machine a while.
      await world.expectDelivered(false, 60_000);
      const stored = [...world.stored().values()].map((s) => s.event);
      expect(stored.filter((e) => e.source.line > 101 && e.type === 'step')).toHaveLength(100);
      expect(stored.filter((e) => e.type === 'line_overflow')).toMatchObject([{ omitted: 100 }]);
      expect(world.agent.logs.filter((l) => /damaged/.test(l.msg))).toEqual([]);
    }, 90_000);
  });
});
