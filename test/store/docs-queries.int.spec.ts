import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATH, importPaths, openStore, shiftedFixture, sqliteOf, tempDir } from './store-test-kit.ts';

// The example queries of docs/store.md must run against a real store: the documentation stays true.
const DOC = readFileSync(new URL('../../docs/store.md', import.meta.url), 'utf8');
const QUERIES = [...DOC.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] as string);

describe('example queries of docs/store.md', () => {
  it('are there', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(QUERIES.map((sql) => [sql.split('\n')[0], sql]))('answer rows of a log written today (one line of it unreadable): %s', (_first, sql) => {
    // The real log moved to today, so that the queries over "this month" and "the last 7 days" see
    // it, with one line at its end that is not a record (for the query of unparsed lines).
    const dir = tempDir();
    const days = Math.floor((Date.parse(new Date().toISOString().slice(0, 10)) - Date.parse('2020-09-11')) / 86_400_000);
    const log = shiftedFixture(dir, days);
    appendFileSync(log, 'not a record of the log\r\n');
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, 'attune-1', [log]);
    expect(sqliteOf(store).prepare(sql).all().length).toBeGreaterThan(0);
    store.close();
  });

  it('answer from the real log', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const run = (fragment: string) => sqliteOf(store).prepare(QUERIES.find((sql) => sql.includes(fragment)) as string).all();
    expect(run('FROM procedure_stats')).toContainEqual({ procedure: 'Startup', n: 3, median_min: 14.1, p90_min: 14.3, last_run_at: '2020-09-11T13:27:09.641Z' });
    expect(run('acquisitions_with_bubbles')).toEqual([{ user: 'jsmith', acquisitions_with_bubbles: 1 }]);
    expect(run('FROM instrument_state')).toEqual([{ instrument_id: 'attune-1', availability: 'free', summary: 'Idle, nobody logged in', as_of: '2020-09-11T14:57:55.397Z' }]);
    expect(run("r.outcome IN ('failed'")).toEqual([
      { started_at: '2020-09-11T14:41:29.679Z', procedure: 'Sample Recovery', outcome: 'cancelled', outcome_code: 'FUNCTION_CANCELLED', user: 'jsmith', kind: null, message: null },
    ]);
    store.close();
  });
});
