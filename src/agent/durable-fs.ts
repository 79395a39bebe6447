import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Writes that survive a crash or a power cut at any moment: data is fsynced before it is relied
// on, and a file is replaced by renaming a complete, fsynced copy over it.

/** Appends `data` to a file and fsyncs it; resolves only once the bytes are on disk. */
export type AppendDurably = (path: string, data: string) => Promise<void>;

export const appendDurably: AppendDurably = async (path, data) => {
  const handle = await open(path, 'a');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Replaces `path` with `data` atomically: readers see the old file or the new one, never half. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await renameReplacing(temp, path);
  await fsyncDir(dirname(path));
}

/**
 * On Windows a rename over a file fails with EPERM/EBUSY/EACCES while another process (an
 * antivirus, a backup, the indexer) briefly holds the target open: retry a few times.
 */
async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 10 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await sleep(20 * (attempt + 1));
    }
  }
}

/**
 * Makes a directory's entries (a new or renamed file) durable. Windows cannot open a directory
 * for fsync (NTFS journals the metadata itself), so there it is skipped.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}
