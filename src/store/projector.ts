import type { Statement } from 'better-sqlite3';
import { RunTimelineReader } from '../estimates/run-timeline-reader.ts';
import type { RunTimeline } from '../estimates/run-timeline.ts';
import type { LogEvent } from '../events/log-events.ts';
import { Monitor } from '../machines/monitor.ts';
import type { MonitorOutput } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { StoredProgressReader } from './instrument-state-projection.ts';
import type { InstrumentProgress, Projection } from './projection.ts';
import type { EventTypeIds } from './event-types.ts';
import type { LogFileIds } from './log-files.ts';
import { SourceOrderPages } from './source-order-pages.ts';
import { compareSourcePositions, type SourcePosition } from '../shared/source-order.ts';
import type { RunStepsReader } from './run-steps-projection.ts';
import { logEventFromRow } from './stored-event.ts';

/** An instrument's machine (read with the timelines of its runs) and how far it has got. */
interface Cursor {
  monitor: Monitor;
  reader: RunTimelineReader;
  lastPosition: number;
  lastSource: SourcePosition | null;
}

/** An instrument's share of the current transaction. */
interface Pending {
  instrumentId: string;
  cursor: Cursor;
  /** The cursor's last position when the transaction took it up (what is stored). */
  previousPosition: number;
  /** Accepted events not yet fed to the machine (fed in bulk: steps and saved files fold). */
  unfed: LogEvent[];
  /** An event sorted before one already applied: the instrument is rebuilt at commit. */
  outOfOrder: boolean;
  /** What the transaction changed, kept only while someone listens to commits (null otherwise). */
  changes: { previousPosition: number; appended: LogEvent[]; outputs: MonitorOutput[]; closedRuns: RunTimeline[] } | null;
}

/**
 * What one committed transaction changed for one instrument, for a live reader of the store (the
 * server's live feed): the log events it stored and what the machine said about them.
 */
export interface InstrumentCommit {
  instrumentId: string;
  /** Log events newly stored, in the order they were appended (duplicates left out). */
  appended: LogEvent[];
  /** The machine's outputs for them, in order; empty when the instrument was rebuilt. */
  outputs: MonitorOutput[];
  /** The timelines of the runs they closed, in order; empty when the instrument was rebuilt. */
  closedRuns: RunTimeline[];
  /** The open run's timeline after them (null when none is open), a copy. */
  openRun: RunTimeline | null;
  /**
   * An event arrived before one already applied (in source order): the instrument's projections
   * were rebuilt from all its events, and `outputs` would be its whole history, so they are not given.
   */
  rebuilt: boolean;
  /**
   * global_position of the last event applied before this transaction (0 for a new instrument): a
   * reader that followed the instrument up to another position missed a write of another process.
   */
  previousPosition: number;
  /** global_position of the last event applied (log or server event). */
  lastPosition: number;
}

export interface RebuildSummary {
  instruments: number;
  /** Log events fed to the machines. */
  events: number;
}

const FEED_EVENTS = 1_000;

/**
 * Feeds each instrument's log events to its `Monitor`, in source order, and the machine's outputs
 * to the projections, inside the store's write transaction. Events arriving in order are applied
 * as they are appended (in bulk: consecutive steps fold, with the same results); one that sorts
 * before an event already applied makes the instrument be rebuilt from its events at commit, so
 * arrival order never changes a row.
 * Machines are cached between transactions, checked against `instrument_state.last_position`
 * (another process may have written since) and dropped when a transaction fails.
 */
export class Projector {
  private readonly cache = new Map<string, Cursor>();
  private readonly pending = new Map<string, Pending>();
  private current: Pending | null = null;
  private readonly outputs: MonitorOutput[] = [];
  private readonly closedRuns: RunTimeline[] = [];
  private readonly stored: StoredProgressReader;
  private readonly runSteps: RunStepsReader;
  private readonly saveCheckpoint: Statement;
  private readonly deleteCheckpoints: Statement;
  private readonly pages: SourceOrderPages;
  private readonly lastServerPosition: Statement;
  private readonly instrumentIds: Statement;
  private readonly unbuilt: Statement;
  private readonly unprojected: Statement;
  /**
   * Whether commits report what they changed. Off by default: an import or a replay would only
   * pile up outputs nobody reads.
   */
  reporting = false;

  constructor(
    db: SqliteDatabase,
    private readonly projections: readonly Projection[],
    files: LogFileIds,
    types: EventTypeIds,
    runSteps: RunStepsReader,
  ) {
    this.stored = new StoredProgressReader(db);
    this.runSteps = runSteps;
    this.saveCheckpoint = db.prepare(`
      INSERT INTO projection_checkpoints (projection, instrument_id, last_position) VALUES (?, ?, ?)
      ON CONFLICT (projection, instrument_id) DO UPDATE SET last_position = excluded.last_position`);
    this.deleteCheckpoints = db.prepare('DELETE FROM projection_checkpoints');
    this.pages = new SourceOrderPages(db, files, types);
    this.lastServerPosition = db.prepare('SELECT max(global_position) FROM event_stream WHERE instrument_id = ? AND file_id IS NULL').pluck();
    this.instrumentIds = db.prepare('SELECT instrument_id FROM log_files UNION SELECT instrument_id FROM event_stream WHERE file_id IS NULL ORDER BY instrument_id').pluck();
    this.unbuilt = db.prepare(`SELECT 1 FROM instrument_state s
      WHERE NOT EXISTS (SELECT 1 FROM projection_checkpoints c WHERE c.projection = ? AND c.instrument_id = s.instrument_id) LIMIT 1`).pluck();
    this.unprojected = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM instrument_state) AND EXISTS (SELECT 1 FROM event_stream)').pluck();
  }

  /** Whether some instrument has events a projection never saw (one a migration added): a replay builds it. */
  hasUnbuiltProjection(): boolean {
    return this.unprojected.get() === 1 || this.projections.some((projection) => this.unbuilt.get(projection.name) !== undefined);
  }

  /** An event just appended in the current transaction; `null` for a server event, which no machine reads. */
  accept(instrumentId: string, position: number, event: LogEvent | null): void {
    const pending = this.current?.instrumentId === instrumentId ? this.current : this.begin(instrumentId);
    const cursor = pending.cursor;
    cursor.lastPosition = position;
    if (event === null) return;
    pending.changes?.appended.push(event);
    if (pending.outOfOrder) return;
    if (cursor.lastSource !== null && compareSourcePositions(event.source, cursor.lastSource) < 0) {
      pending.outOfOrder = true;
      return;
    }
    cursor.lastSource = event.source;
    pending.unfed.push(event);
    if (pending.unfed.length >= FEED_EVENTS) this.feed(pending);
  }

  /**
   * Before the transaction commits: every instrument it touched is brought up to date, rows and
   * checkpoints. Returns what changed when `reporting` (else an empty list).
   */
  commit(): InstrumentCommit[] {
    const commits: InstrumentCommit[] = [];
    for (const pending of this.pending.values()) {
      if (pending.outOfOrder) this.flush(pending.instrumentId, this.rebuild(pending.instrumentId).cursor, 0);
      else {
        this.feed(pending);
        this.drain(pending);
        this.flush(pending.instrumentId, pending.cursor, pending.previousPosition);
      }
      const changes = pending.changes;
      if (changes !== null) {
        const { instrumentId, outOfOrder: rebuilt } = pending;
        const { previousPosition, appended } = changes;
        const cursor = this.cache.get(instrumentId)!;
        commits.push({
          instrumentId,
          appended,
          outputs: rebuilt ? [] : changes.outputs,
          closedRuns: rebuilt ? [] : changes.closedRuns,
          openRun: cursor.reader.open,
          rebuilt,
          previousPosition,
          lastPosition: cursor.lastPosition,
        });
      }
    }
    this.pending.clear();
    this.current = null;
    return commits;
  }

  /** The transaction failed (or its commit did): cached machines may hold what never got stored. */
  rollback(): void {
    this.pending.clear();
    this.current = null;
    this.cache.clear();
    for (const projection of this.projections) projection.discard?.();
  }

  /** Drops every projection row and rebuilds them all from `events`; inside a transaction. */
  rebuildAll(): RebuildSummary {
    this.rollback();
    for (const projection of [...this.projections].reverse()) projection.clear();
    this.deleteCheckpoints.run();
    const ids = this.instrumentIds.all() as string[];
    let events = 0;
    for (const instrumentId of ids) {
      const rebuilt = this.rebuild(instrumentId);
      this.flush(instrumentId, rebuilt.cursor, 0);
      events += rebuilt.events;
    }
    return { instruments: ids.length, events };
  }

  /** The instrument's machine as stored (restored from its snapshot on first use), or null when it has no events. */
  monitorOf(instrumentId: string): Monitor | null {
    const pending = this.pending.get(instrumentId);
    if (pending !== undefined) return pending.cursor.monitor;
    if (this.stored.lastPosition(instrumentId) === undefined) return null;
    const cursor = this.load(instrumentId);
    this.cache.set(instrumentId, cursor);
    return cursor.monitor;
  }

  private begin(instrumentId: string): Pending {
    let pending = this.pending.get(instrumentId);
    if (pending === undefined) {
      const cursor = this.load(instrumentId);
      const changes = this.reporting ? { previousPosition: cursor.lastPosition, appended: [], outputs: [], closedRuns: [] } : null;
      pending = { instrumentId, cursor, previousPosition: cursor.lastPosition, unfed: [], outOfOrder: false, changes };
      this.pending.set(instrumentId, pending);
    }
    this.current = pending;
    return pending;
  }

  private load(instrumentId: string): Cursor {
    const storedPosition = this.stored.lastPosition(instrumentId);
    if (storedPosition === undefined) return freshCursor();
    const cached = this.cache.get(instrumentId);
    if (cached !== undefined && cached.lastPosition === storedPosition) return cached;
    const stored = this.stored.read(instrumentId)!;
    const monitor = new Monitor(stored.persisted);
    return { monitor, reader: new RunTimelineReader(monitor, this.runSteps.openTimeline(instrumentId, monitor.context.run?.id ?? null)), lastPosition: stored.lastPosition, lastSource: stored.lastSource };
  }

  private feed(pending: Pending): void {
    if (pending.unfed.length === 0) return;
    const reader = pending.cursor.reader;
    for (const event of pending.unfed) reader.push(event, this.closedRuns, this.outputs);
    pending.unfed.length = 0;
    this.apply(pending);
  }

  /** Sends what the reader's fold still holds: nothing may stay held past a transaction. */
  private drain(pending: Pending): void {
    pending.cursor.reader.flush(this.closedRuns, this.outputs);
    this.apply(pending);
  }

  private apply(pending: Pending): void {
    const { outputs, closedRuns } = this;
    for (const output of outputs) {
      for (const projection of this.projections) projection.apply?.(pending.instrumentId, output);
    }
    for (const run of closedRuns) {
      for (const projection of this.projections) projection.applyTimeline?.(pending.instrumentId, run);
    }
    if (pending.changes !== null) {
      pending.changes.outputs.push(...outputs);
      pending.changes.closedRuns.push(...closedRuns);
    }
    outputs.length = 0;
    closedRuns.length = 0;
  }

  private flush(instrumentId: string, cursor: Cursor, previousPosition: number): void {
    const progress: InstrumentProgress = {
      instrumentId,
      monitor: cursor.monitor,
      openTimeline: cursor.reader.openLive,
      previousPosition,
      lastPosition: cursor.lastPosition,
      lastSource: cursor.lastSource,
    };
    for (const projection of this.projections) {
      projection.flush?.(progress);
      this.saveCheckpoint.run(projection.name, instrumentId, cursor.lastPosition);
    }
    this.cache.set(instrumentId, cursor);
  }

  /** The instrument's rows made anew from its log events in source order, with a fresh machine. */
  private rebuild(instrumentId: string): { cursor: Cursor; events: number } {
    for (const projection of [...this.projections].reverse()) projection.clear(instrumentId);
    const pending: Pending = { instrumentId, cursor: freshCursor(), previousPosition: 0, unfed: [], outOfOrder: false, changes: null };
    let lastPosition = (this.lastServerPosition.get(instrumentId) as number | null) ?? 0;
    let events = 0;
    for (const rows of this.pages.read(instrumentId)) {
      for (const row of rows) {
        if (row[0] > lastPosition) lastPosition = row[0];
        pending.unfed.push(logEventFromRow(row));
      }
      this.feed(pending);
      events += rows.length;
      const [, , , , file, offset, index] = rows[rows.length - 1]!;
      pending.cursor.lastSource = { file, offset, index };
    }
    this.drain(pending);
    pending.cursor.lastPosition = lastPosition;
    return { cursor: pending.cursor, events };
  }
}

function freshCursor(): Cursor {
  const monitor = new Monitor();
  return { monitor, reader: new RunTimelineReader(monitor), lastPosition: 0, lastSource: null };
}
