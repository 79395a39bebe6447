import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { BUNDLE_NAME, buildAgent, buildAgentBundle, buildExecutable, buildSeaBlob, LINUX_EXE_NAME, runtimes, type AgentArtifacts } from '../../build/agent/build-agent.ts';

// The built agent for the tests, never stale: the one-file bundle is built afresh (esbuild, about
// a second); the executables made from it are cached by the bundle's content, so a change to the
// agent's code makes new ones and an unchanged agent reuses them.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'test-artifacts/agent-build');
export const DIST_AGENT = join(ROOT, 'dist/agent');

export interface FreshBundle {
  file: string;
  metafile: Metafile;
  hash: string;
}

let fresh: Promise<FreshBundle> | null = null;

/** The agent bundled from the current sources (once per test file). */
export function freshBundle(): Promise<FreshBundle> {
  fresh ??= (async () => {
    mkdirSync(CACHE, { recursive: true });
    const work = mkdtempSync(join(CACHE, 'bundle-work-'));
    const { file: built, metafile } = await buildAgentBundle(work);
    const hash = createHash('sha256').update(readFileSync(built)).digest('hex').slice(0, 16);
    // Kept by content (a folder per version of the agent's code), like the executables below.
    const file = join(CACHE, `bundle-${hash}`, BUNDLE_NAME);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      renameSync(built, file);
    }
    rmSync(work, { recursive: true, force: true });
    return { file, metafile, hash };
  })();
  return fresh;
}

/** The Linux single executable of the current sources (built when the bundle changed). */
export async function linuxExecutable(): Promise<string> {
  const bundle = await freshBundle();
  const cached = join(CACHE, `sea-${bundle.hash}`, LINUX_EXE_NAME);
  if (existsSync(cached)) return cached;
  const work = mkdtempSync(join(CACHE, 'sea-work-'));
  const blob = buildSeaBlob(bundle.file, work);
  await buildExecutable(runtimes().linuxNode, blob, join(work, LINUX_EXE_NAME));
  mkdirSync(join(CACHE, `sea-${bundle.hash}`), { recursive: true });
  // Renamed into place whole: a test file building the same executable at the same time can only replace it with an equal one.
  renameSync(join(work, LINUX_EXE_NAME), cached);
  rmSync(work, { recursive: true, force: true });
  return cached;
}

/** dist/agent as `npm run build:agent` writes it, built again unless its bundle is the current one. */
export async function packagedAgent(): Promise<AgentArtifacts | Omit<AgentArtifacts, 'metafile'>> {
  const bundle = await freshBundle();
  const built = join(DIST_AGENT, BUNDLE_NAME);
  const artifacts = ['attune-agent-linux-x64', 'attune-agent-win-x64.exe', 'attune-agent-win-x64.zip'].map((name) => join(DIST_AGENT, name));
  const current = existsSync(built) && readFileSync(built).equals(readFileSync(bundle.file)) && artifacts.every((file) => existsSync(file));
  if (!current) return buildAgent(DIST_AGENT);
  const [linuxExe, windowsExe, zip] = artifacts as [string, string, string];
  return { bundle: built, linuxExe, windowsExe, zip };
}

/** A copy of `file` alone in a new empty folder (as on the instrument PC: nothing beside it). */
export function alone(file: string, name: string, parent: string): string {
  const dir = mkdtempSync(join(parent, 'alone-'));
  const copy = join(dir, name);
  copyFileSync(file, copy);
  return copy;
}
