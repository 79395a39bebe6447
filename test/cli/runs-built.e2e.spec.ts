import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = `${ROOT}fixtures/`;
const BUILT = `${ROOT}dist/attune-monitor.mjs`;

// The built CLI reads the logs in a worker thread started from its own bundle's chunk (the sources
// read them on the main thread): both must print the same.
describe('attune-monitor runs, built (npm run build)', () => {
  beforeAll(() => {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  }, 120_000);

  it.each([
    ['--json', '--timezone', 'UTC'],
    ['--timezone', 'Europe/Berlin'],
  ])('prints what the sources print for the real log and the golden cases (%s %s %s)', (...options) => {
    const args = ['runs', ...options, `${FIXTURES}attune`, `${FIXTURES}cases/crash-relaunch`, `${FIXTURES}cases/plate-wells-failures`];
    const built = spawnSync(process.execPath, [BUILT, ...args], { encoding: 'utf8' });
    const sources = runCli(args);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(sources.status).toBe(0);
    expect(built.stdout.length).toBeGreaterThan(1000);
    expect(built.stdout).toBe(sources.stdout);
  });

  it('says which path is missing, and which zone is unknown, as the sources do', () => {
    const missing = spawnSync(process.execPath, [BUILT, 'runs', '/no/such/folder'], { encoding: 'utf8' });
    expect(missing).toMatchObject({ status: 2, stderr: 'attune-monitor: /no/such/folder: no such file or folder\n' });
    const zone = spawnSync(process.execPath, [BUILT, 'runs', '--timezone', 'Mars/Olympus', `${FIXTURES}attune`], { encoding: 'utf8' });
    expect(zone).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown time zone "Mars/Olympus"') });
  });
});
