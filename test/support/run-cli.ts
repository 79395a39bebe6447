import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/attune-monitor.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `attune-monitor ARGS…` as a user would, in its own process (as another user: `user`, which needs root). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; user?: { uid: number; gid: number } } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    input: options.input,
    timeout: 60_000,
    ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
