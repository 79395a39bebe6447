import type { Statement } from 'better-sqlite3';
import type { EstimatorHistory } from '../estimates/estimator-history.ts';
import type { RunTimeline } from '../estimates/run-timeline.ts';
import { LOG_EVENT_TYPES, type LogEvent } from '../events/log-events.ts';
import { instrumentStatus, type InstrumentStatus } from '../machines/instrument-status.ts';
import type { Alert } from '../machines/monitor-types.ts';
import { AlertsProjection, AlertsReadModel } from './alerts-projection.ts';
import { ConnectivityProjection, ConnectivityReadModel, type ServerEventProjection } from './connectivity-projection.ts';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database.ts';
import { assertInstrumentId } from '../shared/instrument-id.ts';
import { HeartbeatsTable } from './heartbeats-table.ts';
import { InstrumentStateProjection, InstrumentStateReadModel } from './instrument-state-projection.ts';
import { KnownInstruments } from './known-instruments.ts';
import { ProcedureRunsProjection, ProcedureRunsReadModel } from './procedure-runs-projection.ts';
import { ProcedureStatsProjection } from './procedure-stats-projection.ts';
import { RunStepsProjection, RunStepsReader } from './run-steps-projection.ts';
import { Projector, type InstrumentCommit, type RebuildSummary } from './projector.ts';
import { toStoreError } from './store-errors.ts';
import { SourceOrderPages } from './source-order-pages.ts';
import { LogFileIds } from './log-files.ts';
import { isoOfMs, logEventFromRow, storedForm, utcMsOf } from './stored-event.ts';
import { EventRowInserter, ROWS_PER_INSERT } from './event-rows.ts';
import { EventTypeIds } from './event-types.ts';
import { compareSourcePositions } from '../shared/source-order.ts';
import { TokenStore } from './token-store.ts';
import { UserSessionsProjection, UserSessionsReadModel } from './user-sessions-projection.ts';

export interface EventStoreOptions extends OpenDatabaseOptions {
  /** The clock for `recorded_at` (and `schema_migrations.applied_at`). */
  now?: () => Date;
}

export interface AppendCounts {
  appended: number;
  /** Events whose source key was already stored: skipped. */
  duplicates: number;
}

const LOG_TYPES: ReadonlySet<string> = new Set(LOG_EVENT_TYPES);

/** Told, after each commit, what it changed per instrument (see `InstrumentCommit`). */
export type CommitListener = (commits: readonly InstrumentCommit[]) => void;

/**
 * The append-only event stream in SQLite and the projections kept from it. Every append runs in a
 * write transaction that also brings the projections of the instruments it touched up to date:
 * either all of it is stored or none of it.
 */
export class EventStore {
  readonly path: string;
  /** Only the store writes SQL against its tables: the others read them through the read models below. */
  private readonly db: SqliteDatabase;
  /** The read side, one read model per table, beside each table's projection. */
  readonly runs: ProcedureRunsReadModel;
  readonly sessions: UserSessionsReadModel;
  readonly alerts: AlertsReadModel;
  readonly states: InstrumentStateReadModel;
  readonly connectivity: ConnectivityReadModel;
  readonly heartbeats: HeartbeatsTable;
  readonly instruments: KnownInstruments;
  private readonly now: () => Date;
  private readonly projector: Projector;
  private readonly rows: EventRowInserter;
  private readonly types: EventTypeIds;
  /** Log events whose rows are added to `rows` and not inserted yet, in order. */
  private readonly unpositioned: LogEvent[] = [];
  private readonly storedKeysBetween: Statement;
  private readonly pages: SourceOrderPages;
  private readonly runSteps: RunStepsReader;
  private readonly serverProjections: readonly ServerEventProjection[];
  private readonly serverEventsInOrder: Statement;
  private commitListener: CommitListener | null = null;
  private launchFileOf: Statement | undefined;
  /** `recorded_ms` of the transaction in progress, null outside one. */
  private recordedAt: number | null = null;
  private readonly files: LogFileIds;
  private readonly lastSourceInFile: Statement;
  private readonly lastRecordedInNewestFile: Statement;

  static open(path: string, options: EventStoreOptions = {}): EventStore {
    const db = openDatabase(path, options);
    try {
      const store = new EventStore(path, db, options.now ?? (() => new Date()));
      // A projection a migration added is built once, at the first open after it.
      if (store.projector.hasUnbuiltProjection()) store.replay();
      return store;
    } catch (error) {
      db.close();
      throw toStoreError(error, path);
    }
  }

  private constructor(path: string, db: SqliteDatabase, now: () => Date) {
    this.path = path;
    this.db = db;
    this.now = now;
    // Order matters for `clear`, done in reverse: alerts refer to runs.
    this.files = new LogFileIds(db);
    this.types = new EventTypeIds(db);
    this.runSteps = new RunStepsReader(db);
    this.projector = new Projector(db, [
      new ProcedureRunsProjection(db),
      new RunStepsProjection(db),
      new UserSessionsProjection(db),
      new AlertsProjection(db),
      new ProcedureStatsProjection(db),
      new InstrumentStateProjection(db),
    ], this.files, this.types, this.runSteps);
    this.rows = new EventRowInserter(db);
    this.storedKeysBetween = db
      .prepare('SELECT source_offset, source_index FROM event_stream WHERE file_id = ? AND (source_offset, source_index) BETWEEN (?, ?) AND (?, ?)')
      .raw();
    this.pages = new SourceOrderPages(db, this.files, this.types);
    this.lastRecordedInNewestFile = db
      .prepare('SELECT recorded_ms FROM event_stream WHERE file_id = (SELECT max(file_id) FROM log_files WHERE instrument_id = ?) ORDER BY global_position DESC LIMIT 1')
      .pluck();
    this.lastSourceInFile = db.prepare('SELECT source_offset, source_index FROM event_stream WHERE file_id = ? ORDER BY source_offset DESC, source_index DESC LIMIT 1').raw();
    this.serverProjections = [new ConnectivityProjection(db)];
    this.serverEventsInOrder = db
      .prepare('SELECT s.global_position, s.instrument_id, t.name, s.occurred_ms, s.data FROM event_stream s JOIN event_types t USING (type_id) WHERE s.file_id IS NULL ORDER BY s.global_position')
      .raw();
    this.runs = new ProcedureRunsReadModel(db);
    this.sessions = new UserSessionsReadModel(db);
    this.alerts = new AlertsReadModel(db);
    this.states = new InstrumentStateReadModel(db);
    this.connectivity = new ConnectivityReadModel(db);
    this.heartbeats = new HeartbeatsTable(db, path);
    this.instruments = new KnownInstruments(db);
  }

  /** The agents' tokens (`agent_tokens`), with `now` for the time a token is created. */
  agentTokens(now: () => Date = this.now): TokenStore {
    return new TokenStore(this.db, now);
  }

  /**
   * Sets (or, with null, removes) the one listener told after each commit what it changed: the
   * live server's feed. Without one, appends collect nothing (an import stays as fast).
   */
  onCommit(listener: CommitListener | null): void {
    this.commitListener = listener;
    this.projector.reporting = listener !== null;
  }

  /**
   * Runs `work` in one write transaction (taken at once: a database held by another writer fails
   * after the busy timeout instead of deadlocking later). Appends made inside join it; the
   * projections are brought up to date before it commits. On any error nothing of it is kept.
   */
  transaction<T>(work: () => T): T {
    if (this.recordedAt !== null) throw new Error('store transactions do not nest');
    this.recordedAt = this.now().getTime();
    let commits: InstrumentCommit[] = [];
    let result: T;
    try {
      result = this.db
        .transaction(() => {
          const value = work();
          commits = this.projector.commit();
          return value;
        })
        .immediate();
    } catch (error) {
      this.projector.rollback();
      this.files.forgetUncommitted();
      this.types.forgetUncommitted();
      this.rows.discard();
      this.unpositioned.length = 0;
      throw toStoreError(error, this.path);
    } finally {
      this.recordedAt = null;
    }
    // Only once committed: a listener must never hear of what was rolled back.
    if (commits.length > 0) this.commitListener?.(commits);
    return result;
  }

  /**
   * Runs `work` (an import: many transactions, re-run to finish if it stops) without waiting for
   * the disk at each commit (synchronous NORMAL: a power cut may lose the last files imported,
   * never corrupt the store), then syncs it to disk once, by a checkpoint (what a busy reader
   * keeps in the WAL becomes durable with the next commit, synced again).
   */
  bulk<T>(work: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return work();
    } finally {
      this.db.pragma('synchronous = FULL');
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  /**
   * Appends log events of one instrument (`raws[i]`: the decoded line event i came from, if known).
   * An event whose source key is already stored is skipped: the same line never counts twice.
   * A line's text is kept once, on the first of its events stored (see migrations/008), in the
   * form of migrations/009.
   */
  appendLogEvents(instrumentId: string, events: readonly LogEvent[], raws?: ReadonlyArray<string | null>): AppendCounts {
    if (this.recordedAt === null) return this.transaction(() => this.appendLogEvents(instrumentId, events, raws));
    assertInstrumentId(instrumentId);
    let appended = 0;
    // Events of one file at a time (a batch holds one file, or the end of one and the next).
    for (let start = 0; start < events.length; ) {
      const file = (events[start] as LogEvent).source.file;
      let end = start + 1;
      while (end < events.length && (events[end] as LogEvent).source.file === file) end++;
      appended += this.appendFileEvents(instrumentId, this.files.idOf(instrumentId, file), events, raws, start, end);
      start = end;
    }
    this.insertRows(instrumentId);
    return { appended, duplicates: events.length - appended };
  }

  /** Appends `events[start, end)`, all of one file; returns how many were new. */
  private appendFileEvents(instrumentId: string, fileId: number, events: readonly LogEvent[], raws: ReadonlyArray<string | null> | undefined, start: number, end: number): number {
    // Rows still waiting for their INSERT are not in the index yet: a batch that comes back to a
    // file (A, B, A) must find A's first rows stored, or its repeat would fail the whole batch.
    this.insertRows(instrumentId);
    const stored = this.storedKeysOf(fileId, events, start, end);
    const recordedAt = this.recordedAt as number;
    let appended = 0;
    // The line whose text the last stored event kept: its other events need not keep it again.
    let rawOffset = -1;
    for (let i = start; i < end; i++) {
      const event = events[i] as LogEvent;
      const { offset, index, line } = event.source;
      const key = sourceKey(offset, index);
      if (stored.has(key)) continue;
      stored.add(key);
      let raw = raws?.[i] ?? null;
      if (raw !== null && offset === rawOffset) raw = null;
      else if (raw !== null) rawOffset = offset;
      const occurredMs = utcMsOf(event.at);
      const form = storedForm(event, occurredMs, raw);
      this.rows.add(null, this.types.idOf(event.type), occurredMs, form.data, recordedAt, fileId, offset, index, line, form.raw, form.localOffsetMin);
      this.unpositioned.push(event);
      appended++;
      if (this.rows.buffered === ROWS_PER_INSERT) this.insertRows(instrumentId);
    }
    return appended;
  }

  /**
   * The source keys stored already among the events' (within their range, read through the key's
   * index: nothing in an import, the lines an agent sent again in a live batch).
   */
  private storedKeysOf(fileId: number, events: readonly LogEvent[], start: number, end: number): Set<number | string> {
    let low = (events[start] as LogEvent).source;
    let high = low;
    for (let i = start + 1; i < end; i++) {
      const source = (events[i] as LogEvent).source;
      if (compareSourcePositions(source, low) < 0) low = source;
      if (compareSourcePositions(source, high) > 0) high = source;
    }
    const keys = new Set<number | string>();
    for (const [offset, index] of this.storedKeysBetween.all(fileId, low.offset, low.index, high.offset, high.index) as Array<[number, number]>) keys.add(sourceKey(offset, index));
    return keys;
  }

  /** Inserts the rows added, and hands their events with their positions to the projector. */
  private insertRows(instrumentId: string): void {
    const first = this.rows.flush();
    if (first === undefined) return;
    const events = this.unpositioned;
    for (let i = 0; i < events.length; i++) this.projector.accept(instrumentId, first + i, events[i] as LogEvent);
    events.length = 0;
  }

  /**
   * The instrument's highest source position stored (its newest file by name, the last line of
   * it), or null when it has no log events: what an agent may forget.
   */
  highestSource(instrumentId: string): { file: string; offset: number; index: number } | null {
    const newest = this.files.newest(instrumentId);
    if (newest === undefined) return null;
    const last = this.lastSourceInFile.get(newest.file_id) as [number, number] | undefined;
    return last === undefined ? null : { file: newest.name, offset: last[0], index: last[1] };
  }

  /**
   * Appends an event the server makes itself (no log line, no source key: e.g. a connectivity
   * change). The machines do not read it; it is kept, in order, for the projections that will.
   * Returns its global position.
   */
  appendServerEvent(instrumentId: string, type: string, occurredAt: string, data: Record<string, unknown> = {}): number {
    if (this.recordedAt === null) return this.transaction(() => this.appendServerEvent(instrumentId, type, occurredAt, data));
    assertInstrumentId(instrumentId);
    if (LOG_TYPES.has(type)) throw new Error(`"${type}" is a log event type: append it with its source key (appendLogEvents)`);
    const text = JSON.stringify(data);
    this.rows.add(instrumentId, this.types.idOf(type), utcMsOf(occurredAt), text, this.recordedAt, null, null, null, null, null, null);
    const position = this.rows.flush() as number;
    this.projector.accept(instrumentId, position, null);
    for (const projection of this.serverProjections) {
      if (projection.types.has(type)) projection.apply({ position, instrumentId, type, occurredAt, data: text });
    }
    return position;
  }

  /**
   * The instrument's log events in source order, as its machine takes them (e.g. to replay a
   * day, or to estimate from the events before a moment). Read a page at a time. `fromFile`
   * starts at that log file (launch order is name order), skipping the launches before it.
   */
  *logEvents(instrumentId: string, fromFile?: string): Generator<LogEvent> {
    for (const rows of this.pages.read(instrumentId, fromFile)) {
      for (const row of rows) yield logEventFromRow(row);
    }
  }

  /**
   * What the estimator needs of the instrument (from `run_steps`, no replay): the timelines of its
   * runs that ran to their end, by end time, and of its open run.
   */
  runTimelines(instrumentId: string): { closed: Iterable<RunTimeline>; open: RunTimeline | null } {
    try {
      return { closed: [...this.runSteps.closedTimelines(instrumentId)], open: this.openRunTimeline(instrumentId) };
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  /** The estimator's history of the instrument, each run's steps read from `run_steps` only when an estimate needs them. */
  estimatorHistory(instrumentId: string): EstimatorHistory {
    try {
      return this.runSteps.history(instrumentId);
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  /** The open run's timeline so far (from `run_steps`), null when no run is open. */
  openRunTimeline(instrumentId: string): RunTimeline | null {
    try {
      // The machine (restored from its snapshot, cached) names its open run: one row read by key.
      return this.runSteps.openTimeline(instrumentId, this.projector.monitorOf(instrumentId)?.context.run?.id ?? null);
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  /**
   * Drops every projection row and rebuilds them from `events`, in one transaction: log events
   * through the machines, server events (connectivity changes) in the order they were appended.
   */
  replay(): RebuildSummary {
    return this.transaction(() => {
      const summary = this.projector.rebuildAll();
      for (const projection of this.serverProjections) projection.clear();
      // Read whole (nothing may be written while a statement iterates); server events are few.
      for (const [position, instrumentId, type, occurredMs, data] of this.serverEventsInOrder.all() as Array<[number, string, string, number, string]>) {
        for (const projection of this.serverProjections) {
          if (projection.types.has(type)) projection.apply({ position, instrumentId, type, occurredAt: isoOfMs(occurredMs), data });
        }
      }
      return summary;
    });
  }

  /** The instrument's status from its stored machine (restored from the snapshot, no replay), or null if it has no events. */
  instrumentStatus(instrumentId: string): InstrumentStatus | null {
    try {
      const monitor = this.projector.monitorOf(instrumentId);
      return monitor === null ? null : instrumentStatus(monitor);
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  /** The instrument's open alerts as its machine holds them (oldest first); none when it has no events. */
  openAlerts(instrumentId: string): Alert[] {
    try {
      return this.projector.monitorOf(instrumentId)?.context.openAlerts ?? [];
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  /**
   * When (server clock, UTC ISO) the instrument's latest log event was stored, null before any: as
   * its newest log file shows (the file first seen last, the current launch), read through
   * indexes whatever the history stored (not a backwards scan of every instrument's events).
   */
  lastLogEventRecordedAt(instrumentId: string): string | null {
    const ms = this.lastRecordedInNewestFile.get(instrumentId) as number | undefined;
    return ms === undefined ? null : isoOfMs(ms);
  }

  /** The log file of the instrument's last launch at or before `at`, null when it had none then. */
  launchFileAt(instrumentId: string, at: string): string | null {
    // A launch is its file's `log_opened` (offset 0, index -1): one indexed row per file.
    this.launchFileOf ??= this.db
      .prepare(
        `SELECT f.name FROM log_files f JOIN event_stream e ON e.file_id = f.file_id AND e.source_offset = 0 AND e.source_index = -1
         WHERE f.instrument_id = ? AND e.type_id = (SELECT type_id FROM event_types WHERE name = 'log_opened') AND e.occurred_ms <= ? ORDER BY f.name DESC LIMIT 1`,
      )
      .pluck();
    return (this.launchFileOf.get(instrumentId, Date.parse(at)) as string | undefined) ?? null;
  }

  /**
   * The connection, for a part of the product that keeps tables of its own in the same file (the
   * Slack app's `slack_*` tables). Never for the store's tables: those are read through the read models.
   */
  connectionForOwnTables(): SqliteDatabase {
    return this.db;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * A source key within one file, as one number where it fits (a byte offset below 2^36, an index
 * from -1, the file's `log_opened`, to a line's thousand events), else as text (a key an agent made up).
 */
function sourceKey(offset: number, index: number): number | string {
  return index >= -1 && index < 65_535 && offset >= 0 && offset < 2 ** 36 && Number.isInteger(offset) && Number.isInteger(index) ? offset * 65_536 + index + 1 : `${offset}:${index}`;
}
