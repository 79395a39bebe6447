import { randomUUID } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';

// Two agents on one state folder would both append to the outbox and both move checkpoints:
// each would think the other's progress is its own. A lock file names the owner's pid and the
// machine's boot time; a lock left by a dead agent (kill -9) or from before a reboot (a power
// cut: pids are reused after a reboot) is taken over.

const LOCK_FILE = 'agent.lock';
/** Boot times computed at different moments differ by rounding: this much counts as the same boot. */
const SAME_BOOT_MS = 60_000;
/** Tells this process from an earlier one that had the same pid. */
const PROCESS_ID = randomUUID();

export class StateLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateLockedError';
  }
}

export interface StateLock {
  release(): Promise<void>;
}

export async function acquireStateLock(stateDir: string): Promise<StateLock> {
  const path = join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, process: PROCESS_ID, boot: bootTime() }));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(path);
    if (owner !== null && isHeld(owner)) {
      throw new StateLockedError(`another agent (pid ${owner.pid}) uses the state folder ${stateDir}`);
    }
    await rm(path, { force: true });
  }
  throw new StateLockedError(`cannot lock the state folder ${stateDir}`);
}

interface LockOwner {
  pid: number;
  process: string | null;
  boot: number;
}

function isHeld(owner: LockOwner): boolean {
  if (Math.abs(owner.boot - bootTime()) >= SAME_BOOT_MS) return false;
  if (owner.pid === process.pid) return owner.process === PROCESS_ID;
  return isAlive(owner.pid);
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof value === 'object' && value !== null && 'pid' in value && 'boot' in value) {
      const { pid, boot } = value;
      const owner = 'process' in value && typeof value.process === 'string' ? value.process : null;
      if (typeof pid === 'number' && typeof boot === 'number') return { pid, process: owner, boot };
    }
  } catch {
    // Unreadable or half-written (a crash while locking): nobody holds it.
  }
  return null;
}

function bootTime(): number {
  return Date.now() - uptime() * 1000;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
