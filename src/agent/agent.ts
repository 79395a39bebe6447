import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { localToUtcFromOffsets } from '../events/local-time.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { productVersion } from '../shared/product-version.ts';
import type { AgentConfig } from './agent-config.ts';
import { AgentHealth } from './agent-health.ts';
import { cachedDetection, detectAttuneProcess, type AttuneRunning } from './attune-process.ts';
import { CheckpointStore } from './checkpoint-store.ts';
import type { AppendDurably } from './durable-fs.ts';
import { EventSender } from './event-sender.ts';
import { FolderWatch } from './folder-watch.ts';
import { buildHeartbeat, HeartbeatLoop, type AgentSnapshot } from './heartbeat.ts';
import { IngestClient } from './ingest-client.ts';
import { LogFollower } from './log-follower.ts';
import { Outbox } from './outbox.ts';
import { CatchUpCollector } from './release-memory.ts';
import { acquireStateLock } from './state-lock.ts';
import { realSleep, Wakeup, type Sleep } from './timing.ts';
import { zoneOffsets } from './zone-offsets.ts';

// The agent: three independent loops sharing the state folder.
//   reader    logs folder → outbox + checkpoints, every poll (or sooner on a change notification)
//   sender    outbox → server, in order, acknowledged batches only
//   heartbeat agent health → server, on its own timer
// Stopping finishes the step each loop is in, so the outbox and checkpoints stay consistent.

/** How often to look for the Attune software's process. */
const ATTUNE_CHECK_MS = 30_000;
/**
 * How often the logs folder is listed for a new file (a relaunch of the Attune software) without a
 * change notification. Creating a file does raise one, on Windows too (it is appends by another
 * process that may not); the followed file itself is looked at on every poll.
 */
const FOLDER_LIST_MS = 5_000;
/** A catch-up this large (bytes of log) is followed by one full garbage collection when it ends. */
const COLLECT_AFTER_BYTES = 256 * 1024;

export interface AgentDeps {
  log: Logger;
  clock?: Clock;
  random?: () => number;
  sleep?: Sleep;
  /** How the outbox writes (tests inject a full disk). */
  appendDurably?: AppendDurably;
  detectAttune?: () => Promise<AttuneRunning>;
}

export interface RunningAgent {
  /** What a heartbeat would say now. */
  snapshot(): Promise<AgentSnapshot>;
  /** Stops the loops, saves the checkpoints, releases the state folder. */
  stop(): Promise<void>;
}

export async function startAgent(config: AgentConfig, deps: AgentDeps): Promise<RunningAgent> {
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const zone = zoneOffsets(config.timeZone);
  const toUtc = localToUtcFromOffsets(zone.offsetAt);
  const lock = await acquireStateLock(await ensureDir(config.stateDir));
  let checkpoints: CheckpointStore;
  let outbox: Outbox;
  try {
    checkpoints = await CheckpointStore.open(config.stateDir, {
      instrumentId: config.instrumentId,
      logsDir: config.logsDir,
      onDamage: (message) => log.error(message),
      onLogsDirChanged: (previous) => log.warn({ previous, now: config.logsDir }, 'the logs folder changed since the last run: files are recognised by name and first bytes'),
    });
    outbox = await Outbox.open(join(config.stateDir, 'outbox'), { appendDurably: deps.appendDurably, onDamage: (message) => log.error(message) });
  } catch (error) {
    await lock.release();
    throw error;
  }

  const health = new AgentHealth();
  const abort = new AbortController();
  const senderWakeup = new Wakeup();
  const readerWakeup = new Wakeup();
  const client = new IngestClient({ serverUrl: config.serverUrl, token: config.token, instrumentId: config.instrumentId });
  const follower = new LogFollower({
    logsDir: config.logsDir,
    toUtc,
    outbox,
    checkpoints,
    outboxMaxBytes: config.outboxMaxBytes,
    chunkBytes: config.chunkBytes,
    health,
    log,
    clock,
    onAppended: () => senderWakeup.notify(),
    listEveryMs: FOLDER_LIST_MS,
  });
  const sender = new EventSender({
    outbox,
    client,
    health,
    log,
    backoff: config.backoff,
    random: deps.random ?? Math.random,
    sleep,
    requestTimeoutMs: config.requestTimeoutMs,
    rejectedRetryMs: config.rejectedRetryMs,
    wakeup: senderWakeup,
  });
  const detectAttune = cachedDetection(deps.detectAttune ?? (() => detectAttuneProcess(config.attuneProcess)), ATTUNE_CHECK_MS, () => clock.now());
  const startedAt = clock.now();
  const snapshot = async (): Promise<AgentSnapshot> => ({
    logsDir: config.logsDir,
    logsDirReadable: follower.logsDirReadable,
    following: await follower.followedFile(),
    lastLineAt: checkpoints.lastLineAt,
    attuneRunning: await detectAttune(),
    outboxDepth: outbox.depth,
    outboxBytes: outbox.bytes,
    outboxQuarantined: outbox.quarantined,
    lastError: quarantineReported(health, outbox).summary(),
  });
  const identity = { instrumentId: config.instrumentId, agentVersion: productVersion(), hostName: hostname() };
  const heartbeat = new HeartbeatLoop({
    client,
    intervalMs: config.heartbeatMs,
    build: async () => buildHeartbeat(identity, await snapshot(), (clock.now() - startedAt) / 1000, clock.now()),
    health,
    log,
  });
  const watch = new FolderWatch(config.logsDir, () => {
    follower.markFolderChanged();
    readerWakeup.notify();
  });

  // The first heartbeat should already know whether the logs folder is there.
  await follower.listFolder();
  const collector = new CatchUpCollector(COLLECT_AFTER_BYTES);
  const readerLoop = (async () => {
    while (!abort.signal.aborted) {
      // Polls start every pollMs, however long the last one took (fsyncs): appends wait at most that.
      const started = clock.now();
      const readBefore = follower.bytesRead;
      try {
        await follower.poll(abort.signal);
        if (follower.bytesRead === readBefore && outbox.depth === 0 && collector.settled(follower.bytesRead)) log.debug('caught up: memory released');
      } catch (error) {
        // Unexpected (an I/O error mid-read): start the files again from their checkpoints.
        log.error({ err: error }, 'reading the logs failed: retrying from the checkpoints');
        follower.reset();
      }
      watch.ensure();
      await readerWakeup.wait(Math.max(0, config.pollMs - (clock.now() - started)), abort.signal);
    }
  })();
  const senderLoop = sender.run(abort.signal);
  heartbeat.start();
  log.info(
    { instrument: config.instrumentId, logsDir: config.logsDir, server: config.serverUrl, stateDir: config.stateDir, timeZone: config.timeZone ?? "this machine's", zoneOffsets: zone.source, outboxEvents: outbox.depth },
    'agent started',
  );

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      abort.abort();
      watch.close();
      await Promise.all([readerLoop, senderLoop, heartbeat.stop()]);
      try {
        await checkpoints.save();
      } catch (error) {
        log.error({ err: error }, 'cannot save checkpoints on stop: the next start re-reads a little');
      }
      await lock.release();
      log.info({ outboxEvents: outbox.depth }, 'agent stopped');
    })());
  return { snapshot, stop };
}

async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A quarantine is a problem until someone has looked at the file and removed it (the agent reads it again at start). */
function quarantineReported(health: AgentHealth, outbox: Outbox): AgentHealth {
  const count = outbox.quarantined;
  health.set('quarantine', count === 0 ? null : `${count} outbox lines could not be sent and were moved to ${outbox.quarantinePath}: look at them, then delete the file`);
  return health;
}
