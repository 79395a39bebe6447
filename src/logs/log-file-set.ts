import { readdirSync, statSync, accessSync, constants } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { compareLogNames, isSystemLogName } from '../parser/log-file-name.ts';

export interface LogFileRef {
  path: string;
  name: string;
  size: number;
}

/** A path given on the command line that does not exist or cannot be read. */
export class LogPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogPathError';
  }
}

/**
 * The `System_*.log` files under the given files and folders, in launch (name) order. A file
 * named explicitly counts even if its name differs; folders contribute only `System_*.log`.
 */
export function listLogFiles(paths: readonly string[]): LogFileRef[] {
  const found = new Map<string, LogFileRef>();
  for (const given of paths) {
    const path = resolve(given);
    let info;
    try {
      info = statSync(path);
    } catch (error) {
      throw new LogPathError(`${given}: ${describeFsError(error)}`);
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(path);
      } catch (error) {
        throw new LogPathError(`${given}: cannot list folder: ${describeFsError(error)}`);
      }
      for (const name of names.filter(isSystemLogName)) {
        const file = join(path, name);
        const fileInfo = statSync(file, { throwIfNoEntry: false });
        if (fileInfo?.isFile()) found.set(file, { path: file, name, size: fileInfo.size });
      }
    } else {
      // A device or a pipe is no log: /dev/zero would be read for ever.
      if (!info.isFile()) throw new LogPathError(`${given}: not a log file (a device, a pipe or a socket)`);
      try {
        accessSync(path, constants.R_OK);
      } catch (error) {
        throw new LogPathError(`${given}: ${describeFsError(error)}`);
      }
      found.set(path, { path, name: basename(path), size: info.size });
    }
  }
  return [...found.values()].sort((a, b) => compareLogNames(a.name, b.name) || compareLogNames(a.path, b.path));
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
