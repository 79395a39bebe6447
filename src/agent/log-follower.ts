import { statSync } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LocalToUtc } from '../events/local-time.ts';
import { LogEventReader } from '../events/log-event-reader.ts';
import { describeFsError } from '../logs/log-file-set.ts';
import { LogParser } from '../parser/log-parser.ts';
import type { EventItem } from '../protocol/events-api.ts';
import type { FollowedFile } from '../protocol/heartbeat-api.ts';
import type { Clock } from '../shared/clock.ts';
import type { AgentHealth } from './agent-health.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import { checkFileIdentity, fingerprintOf, FINGERPRINT_BYTES, freshCheckpoint, sameCheckpoint, type FileCheckpoint, type Fingerprint } from './file-checkpoint.ts';
import { planReads, type FollowPlan, type PlannedRead } from './follow-plan.ts';
import { eventItemsOfEnd, eventItemsOfLines } from './line-events.ts';
import type { Outbox } from './outbox.ts';

// Reads the logs folder by byte offset and hands events to the outbox. The one rule: a file's
// checkpoint moves past a line only once that line's events are durably in the outbox.
//
// Files are opened read-only for each visit and closed again. On Windows Node opens with
// FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, so the Attune software can keep
// writing, renaming or deleting its log while the agent reads it.

export interface LogFollowerOptions {
  logsDir: string;
  toUtc: LocalToUtc;
  outbox: Outbox;
  checkpoints: CheckpointStore;
  /** Reading pauses while the outbox holds this many bytes (it can go over by one chunk's events). */
  outboxMaxBytes: number;
  /** Bytes read per step while catching up. */
  chunkBytes: number;
  health: AgentHealth;
  log: Logger;
  clock: Clock;
  /** Events were appended to the outbox: the sender may want to know. */
  onAppended: () => void;
  /**
   * How often the folder is listed for new files (a relaunch); the followed file itself is looked
   * at on every poll. A folder holds hundreds of old logs: listing it four times a second would
   * be most of an idle agent's work. A change notification lists it at once.
   */
  listEveryMs: number;
}

/** A file being read: its parser holds an unfinished last line between visits. */
interface OpenFile {
  parser: LogParser;
  reader: LogEventReader;
}

export class LogFollower {
  private readonly options: LogFollowerOptions;
  private readonly openFiles = new Map<string, OpenFile>();
  private readonly buffer: Buffer;
  /** Whether the quiet poll's stat must stay off the event loop (see followedFileUnchanged). */
  private readonly statsOnThreadPool: boolean;
  private readable = false;
  private newest: string | null = null;
  private outboxFull = false;
  private listing: string[] | null = null;
  private listedAt = Number.NEGATIVE_INFINITY;
  private folderChanged = true;
  /** The plan for the current listing; planned again when the listing or an ended file changes it. */
  private plan: FollowPlan | null = null;
  private bytesReadTotal = 0;

  constructor(options: LogFollowerOptions) {
    this.options = options;
    this.statsOnThreadPool = isNetworkPath(options.logsDir);
    this.buffer = Buffer.alloc(options.chunkBytes);
  }

  /** Whether the last look at the logs folder succeeded. */
  get logsDirReadable(): boolean {
    return this.readable;
  }

  /** Forgets what is held in memory: the next poll resumes from the saved checkpoints. */
  reset(): void {
    this.openFiles.clear();
    this.listing = null;
    this.plan = null;
  }

  /** Bytes of log read since start: the agent's loop tells a catch-up from rest by it. */
  get bytesRead(): number {
    return this.bytesReadTotal;
  }

  /** A change notification for the folder: list it again at the next poll. */
  markFolderChanged(): void {
    this.folderChanged = true;
  }

  /** The newest log, its current size and how far it has been read. */
  async followedFile(): Promise<FollowedFile | null> {
    const name = this.newest;
    if (name === null) return null;
    const offset = this.options.checkpoints.get(name)?.offset ?? 0;
    const size = await stat(join(this.options.logsDir, name)).then(
      (info) => info.size,
      () => this.options.checkpoints.get(name)?.size ?? 0,
    );
    return { file: name, size, offset };
  }

  /** The folder's file names, or null when it cannot be read (reported). */
  async listFolder(): Promise<string[] | null> {
    const { logsDir } = this.options;
    try {
      const entries = await readdir(logsDir, { withFileTypes: true });
      this.readable = true;
      this.reportProblem('logs', null);
      const names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
      const newest = planReads(names, () => undefined).newest;
      if (newest !== this.newest && newest !== null) this.options.log.info({ file: newest }, 'following');
      this.newest = newest;
      return names;
    } catch (error) {
      this.readable = false;
      this.reportProblem('logs', `cannot read the logs folder ${logsDir}: ${describeFsError(error)}`);
      return null;
    }
  }

  /** One pass over the folder: every unfinished file in launch order, as far as it goes. */
  async poll(signal: AbortSignal): Promise<void> {
    // Also clears a stale "outbox full" once the sender drained it, even with nothing to read.
    this.outboxIsFull();
    const now = this.options.clock.now();
    if (this.folderChanged || now - this.listedAt >= this.options.listEveryMs) {
      this.folderChanged = false;
      this.listedAt = now;
      this.listing = await this.listFolder();
      this.plan = null;
    }
    const names = this.listing;
    if (names === null) return;
    const plan = (this.plan ??= planReads(names, (name) => this.options.checkpoints.get(name)));
    if (this.statsOnThreadPool ? await this.followedFileUnchangedOffLoop(plan) : this.followedFileUnchanged(plan)) return;
    for (const name of this.openFiles.keys()) if (!plan.reads.some((read) => read.name === name)) this.openFiles.delete(name);
    let problem: string | null = null;
    for (const read of plan.reads) {
      if (signal.aborted) return;
      const outcome = await this.advance(read, signal);
      // A file that cannot be finished stops the pass: newer events never overtake older ones.
      if (outcome === 'blocked') break;
      if (outcome !== 'done') {
        problem = outcome.problem;
        break;
      }
    }
    this.reportProblem('log_file', problem);
  }

  /**
   * The quiet case, four times a second at rest: only the followed file is left to read, and its
   * size is where reading stopped. One stat by name, instead of opening, checking and closing it.
   * (Opening it again only to find the same size would not see more: a same-size replacement is
   * caught by the fingerprint once it grows.)
   *
   * On a local disk the stat is synchronous: an asynchronous one is a hand-off to the I/O thread
   * pool and back, which was about an eighth of an idle agent's CPU (0.40 → 0.35 % of a core side
   * by side). On a network share (a UNC path) it goes to the thread pool all the same: a share
   * that hangs would otherwise block the whole agent (sending what was read, the stop of the
   * service), not only this loop. A share mapped to a drive letter looks local here.
   */
  private followedFileUnchanged(plan: FollowPlan): boolean {
    const followed = this.quietlyFollowed(plan);
    if (followed === null) return false;
    try {
      return statSync(followed.path).size === followed.position;
    } catch {
      return false;
    }
  }

  private async followedFileUnchangedOffLoop(plan: FollowPlan): Promise<boolean> {
    const followed = this.quietlyFollowed(plan);
    if (followed === null) return false;
    try {
      return (await stat(followed.path)).size === followed.position;
    } catch {
      return false;
    }
  }

  /** The one file left to read and where reading stopped in it, when that is all there is to look at. */
  private quietlyFollowed(plan: FollowPlan): { path: string; position: number } | null {
    const only = plan.reads.length === 1 ? plan.reads[0]! : null;
    if (only === null || only.endAtEof) return null;
    const file = this.openFiles.get(only.name);
    return file === undefined ? null : { path: join(this.options.logsDir, only.name), position: position(file) };
  }

  /** Logged only when it changes: a folder missing for a day is one line, not 350,000. */
  private reportProblem(area: 'logs' | 'log_file', problem: string | null): void {
    const { health, log, logsDir } = this.options;
    if (!health.set(area, problem)) return;
    if (problem === null) log.info({ logsDir }, 'logs readable again');
    else log.warn({ logsDir, problem }, 'cannot read the logs: waiting');
  }

  /** Reads one file as far as it goes: 'blocked' by the outbox (full or unwritable), or a problem with the file. */
  private async advance(read: PlannedRead, signal: AbortSignal): Promise<'done' | 'blocked' | { problem: string }> {
    let handle: FileHandle;
    try {
      handle = await open(join(this.options.logsDir, read.name), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.openFiles.delete(read.name);
        return 'done';
      }
      return { problem: `cannot open ${read.name}: ${describeFsError(error)}` };
    }
    try {
      return (await this.readFile(handle, read, signal)) ? 'done' : 'blocked';
    } finally {
      await handle.close();
    }
  }

  private async readFile(handle: FileHandle, read: PlannedRead, signal: AbortSignal): Promise<boolean> {
    const { checkpoints, log, chunkBytes } = this.options;
    const size = (await handle.stat()).size;
    let file = this.openFiles.get(read.name);
    // The quiet case, every poll: nothing new in the followed file.
    if (file !== undefined && !read.endAtEof && position(file) === size) return true;

    const head = await readHead(handle, size);
    let checkpoint = checkpoints.get(read.name) ?? freshCheckpoint(read.name);
    const identity = checkFileIdentity(checkpoint, size, head);
    if (identity.kind === 'restart') {
      log.warn({ file: read.name, reason: identity.reason, offset: checkpoint.offset, size }, 'log file truncated or replaced: reading it again from the start');
      checkpoint = freshCheckpoint(read.name);
      checkpoints.set(checkpoint);
      file = undefined;
    } else if (file !== undefined && size < position(file)) {
      // Its unfinished last line shrank: read it again from the last complete line.
      file = undefined;
    }
    if (file === undefined) {
      file = {
        parser: new LogParser({ file: read.name, startOffset: checkpoint.offset, startLineNumber: checkpoint.lineNumber }),
        reader: new LogEventReader(read.name, this.options.toUtc, checkpoint.reader),
      };
      this.openFiles.set(read.name, file);
    }
    const fingerprint = fingerprintOf(head);
    const live = read.name === this.newest;

    for (;;) {
      if (signal.aborted) return false;
      if (this.outboxIsFull()) return false;
      // The followed file is read up to the size its identity was checked at: bytes written after
      // that (or a replacement meanwhile) wait for the next visit and its check. An ended file is
      // read to its very end, whatever its size said.
      const want = read.endAtEof ? chunkBytes : Math.min(chunkBytes, size - position(file));
      if (want <= 0) break;
      const { bytesRead } = await handle.read(this.buffer, 0, want, position(file));
      if (bytesRead === 0) break;
      this.bytesReadTotal += bytesRead;
      const items = eventItemsOfLines(file.reader, file.parser.push(this.buffer.subarray(0, bytesRead)));
      if (!(await this.commit(read.name, file, items, fingerprint, size, false, live))) return false;
    }
    if (read.endAtEof) {
      const items = eventItemsOfLines(file.reader, file.parser.end());
      eventItemsOfEnd(file.reader, file.parser.offset, items);
      if (!(await this.commit(read.name, file, items, fingerprint, size, true, false))) return false;
      this.openFiles.delete(read.name);
      // Ended: the next poll plans without it.
      this.plan = null;
      log.info({ file: read.name, bytes: file.parser.offset, lines: file.parser.linesRead }, 'log file ended (a newer one exists)');
    }
    return true;
  }

  /** Items into the outbox first, then the checkpoint past their lines. */
  private async commit(name: string, file: OpenFile, items: EventItem[], fingerprint: Fingerprint | null, size: number, ended: boolean, live: boolean): Promise<boolean> {
    const { outbox, checkpoints, health, log } = this.options;
    const previous = checkpoints.get(name);
    if (items.length > 0) {
      try {
        await outbox.append(items);
      } catch (error) {
        // The parser is ahead of what is safe: forget it, read again from the checkpoint.
        this.openFiles.delete(name);
        if (health.set('outbox', `cannot write the outbox: ${describeFsError(error)}`)) log.error({ err: describeFsError(error) }, 'cannot write the outbox: reading paused, will retry');
        return false;
      }
      if (health.get('outbox') !== null && !this.outboxFull) {
        health.set('outbox', null);
        log.info('outbox writable again');
      }
      this.options.onAppended();
    }
    const next: FileCheckpoint = {
      name,
      offset: file.parser.offset,
      lineNumber: file.parser.linesRead,
      fingerprint,
      size,
      ended,
      reader: file.reader.resumeState,
    };
    if (live && next.lineNumber > (previous?.lineNumber ?? 0)) checkpoints.lastLineAt = new Date(this.options.clock.now()).toISOString();
    log.debug({ file: name, offset: next.offset, lines: next.lineNumber, events: items.length, ended }, 'read');
    if (previous !== undefined && sameCheckpoint(previous, next)) return true;
    checkpoints.set(next);
    try {
      await checkpoints.save();
      if (health.set('state', null)) log.info('checkpoints saved again');
    } catch (error) {
      // Safe to go on: the saved checkpoint lags behind the outbox, so a crash re-reads (and
      // re-sends) a little, never skips. The next save retries.
      if (health.set('state', `cannot save checkpoints: ${describeFsError(error)}`)) log.error({ err: describeFsError(error) }, 'cannot save checkpoints');
    }
    return true;
  }

  private outboxIsFull(): boolean {
    const { outbox, outboxMaxBytes, health, log } = this.options;
    const full = outbox.bytes >= outboxMaxBytes;
    if (full !== this.outboxFull) {
      this.outboxFull = full;
      if (full) {
        health.set('outbox', `outbox full (${outbox.bytes} bytes, limit ${outboxMaxBytes}): reading paused until the server takes events`);
        log.warn({ bytes: outbox.bytes, limit: outboxMaxBytes }, 'outbox full: reading paused');
      } else {
        health.set('outbox', null);
        log.info({ bytes: outbox.bytes }, 'outbox has room again: reading resumed');
      }
    }
    return full;
  }
}

function position(file: OpenFile): number {
  return file.parser.offset + file.parser.pendingBytes;
}

async function readHead(handle: FileHandle, size: number): Promise<Buffer> {
  const head = Buffer.alloc(Math.min(size, FINGERPRINT_BYTES));
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  return head.subarray(0, bytesRead);
}

/** A UNC path (`\\server\share\logs`, `//server/share/logs`): a folder on another machine. */
export function isNetworkPath(path: string): boolean {
  return /^[\\/]{2}[^\\/]/.test(path);
}
