import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareLogNames, isSystemLogName } from '../../parser/log-file-name.ts';
import { bearer, EVENTS_PATH } from '../../protocol/api-paths.ts';
import { systemTimeZone } from '../../events/local-time.ts';
import { describeFsError } from '../../logs/log-file-set.ts';
import { productVersion } from '../../shared/product-version.ts';
import type { AgentConfig } from '../agent-config.ts';
import { httpText } from '../http-text.ts';
import { redirectAdvice } from '../ingest-client.ts';

// `attune-agent check`: what lab IT runs after installing, before (or instead of) reading logs.
// Each line says what was checked and what was found, in words IT can act on. Nothing is sent
// that the server would store: the token is tried with an empty batch, which the server refuses
// as invalid (400) only once it accepted the token (an unknown token is a 401 before the body).

export interface CheckResult {
  ok: boolean;
  what: string;
  detail: string;
}

const TIMEOUT_MS = 10_000;

export async function runChecks(config: AgentConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [{ ok: true, what: 'agent', detail: `attune-agent ${productVersion()} on Node.js ${process.version} (${process.platform} ${process.arch}${process.execArgv.length > 0 ? `, ${process.execArgv.join(' ')}` : ''}), instrument ${config.instrumentId}` }];
  const logs = await checkLogsFolder(config.logsDir);
  results.push(...logs);
  const reachable = await checkServer(config.serverUrl);
  results.push(reachable);
  results.push(reachable.ok ? await checkToken(config) : { ok: false, what: 'token accepted', detail: 'not tried: the server is not reachable' });
  const timeZone = config.timeZone ?? systemTimeZone();
  results.push({ ok: true, what: 'time zone', detail: `${timeZone} (it is ${new Date().toLocaleString('en-GB', { timeZone })} there now; the logs' times are read in it)` });
  results.push(await checkStateFolder(config.stateDir));
  return results;
}

async function checkLogsFolder(dir: string): Promise<CheckResult[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    return [
      { ok: false, what: 'logs folder readable', detail: `${dir}: ${describeFsError(error)}` },
      { ok: false, what: 'newest System_*.log', detail: 'not looked for: the folder cannot be read' },
    ];
  }
  const folder = { ok: true, what: 'logs folder readable', detail: `${dir} (${names.length} entries)` };
  const logs = names.filter(isSystemLogName).sort(compareLogNames);
  const newest = logs.at(-1);
  if (newest === undefined) return [folder, { ok: false, what: 'newest System_*.log', detail: `none in ${dir}: is this the Attune software's logs folder?` }];
  try {
    const info = await stat(join(dir, newest));
    return [folder, { ok: true, what: 'newest System_*.log', detail: `${newest} (${info.size} bytes, written ${info.mtime.toISOString()}; ${logs.length} log files)` }];
  } catch (error) {
    return [folder, { ok: false, what: 'newest System_*.log', detail: `${newest}: ${describeFsError(error)}` }];
  }
}

async function checkServer(serverUrl: string): Promise<CheckResult> {
  const url = `${serverUrl.replace(/\/+$/, '')}/healthz`;
  try {
    const response = await httpText(url, { method: 'GET', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (response.status >= 200 && response.status <= 299) return { ok: true, what: 'server reachable', detail: url };
    if (response.location !== null) return { ok: false, what: 'server reachable', detail: `${url}: ${redirectAdvice(response.location)}` };
    return { ok: false, what: 'server reachable', detail: `${url} answered ${response.status}: is this the attune-monitor server?` };
  } catch (error) {
    return { ok: false, what: 'server reachable', detail: `${url}: ${networkReason(error)} (check the address, the server, and any firewall or proxy between)` };
  }
}

async function checkToken(config: AgentConfig): Promise<CheckResult> {
  const url = `${config.serverUrl.replace(/\/+$/, '')}${EVENTS_PATH}`;
  try {
    const response = await httpText(url, {
      method: 'POST',
      headers: { authorization: bearer(config.token), 'content-type': 'application/json' },
      body: JSON.stringify({ instrument_id: config.instrumentId, events: [] }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.status === 401) return { ok: false, what: 'token accepted', detail: 'the server does not know this token (create one with `attune-monitor token create` on the server)' };
    if (response.status === 400) return { ok: true, what: 'token accepted', detail: `known to the server (that it is ${config.instrumentId}'s is checked with the first events)` };
    return { ok: false, what: 'token accepted', detail: `unexpected answer ${response.status} from ${url}` };
  } catch (error) {
    return { ok: false, what: 'token accepted', detail: `${url}: ${networkReason(error)}` };
  }
}

async function checkStateFolder(dir: string): Promise<CheckResult> {
  const probe = join(dir, `.check-${randomUUID()}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'attune-agent check\n');
    await rm(probe);
    return { ok: true, what: 'state folder writable', detail: dir };
  } catch (error) {
    return { ok: false, what: 'state folder writable', detail: `${dir}: ${describeFsError(error)}` };
  }
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  // The code says it in a word (ECONNREFUSED, ENOTFOUND); a certificate problem has one too.
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code !== undefined) return code;
  return error instanceof Error ? error.message : String(error);
}

/** The checklist as printed: plain ASCII marks, which every Windows console shows. */
export function formatChecks(results: readonly CheckResult[]): string {
  return results.map((r) => `[${r.ok ? ' OK ' : 'FAIL'}] ${r.what}: ${r.detail}`).join('\n');
}
