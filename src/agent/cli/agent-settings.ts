import { readFileSync } from 'node:fs';
import { posix, win32, type PlatformPath } from 'node:path';
import * as z from '../../shared/zod-mini.ts';
import { assertTimeZone, InvalidTimeZoneError } from '../../events/local-time.ts';
import { instrumentIdSchema } from '../../protocol/instrument-id.ts';
import { AGENT_DEFAULTS, defaultStateDir, type AgentConfig } from '../agent-config.ts';

// The agent's settings come from three places, each setting on its own: a command-line flag beats
// an ATTUNE_AGENT_* environment variable, which beats the config file (TOML). One table below
// names each setting in all three, so the three can never drift apart.

/** A setting refused: the message names the setting where it came from and what is wrong. */
export class AgentSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentSettingsError';
  }
}

const number = z.coerce.number({ error: 'must be a number' });
const text = z.string({ error: 'must be text' }).check(z.minLength(1, 'must not be empty'));

const SETTINGS = {
  logs: { flag: '--logs <dir>', help: "the Attune software's logs folder (e.g. D:\\AttuneLogs)", schema: text, path: true },
  server: { flag: '--server <url>', help: 'the attune-monitor server, e.g. http://monitor.lab:8787', schema: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }), path: false },
  instrument: { flag: '--instrument <id>', help: 'this instrument’s id on the server', schema: instrumentIdSchema, path: false },
  token: { flag: '--token <token>', help: "the instrument's agent token (better: token_file, or ATTUNE_AGENT_TOKEN: not in the process list)", schema: text, path: false },
  token_file: { flag: '--token-file <file>', help: 'a file holding the token', schema: text, path: true },
  state_dir: { flag: '--state-dir <dir>', help: `checkpoints, outbox and lock (default: ${defaultStateDir()})`, schema: text, path: true },
  timezone: { flag: '--timezone <iana>', help: "the instrument PC's time zone (default: this machine's)", schema: text, path: false },
  poll_ms: { flag: '--poll-ms <n>', help: `how often the logs are looked at, in ms (≤ 250; default ${AGENT_DEFAULTS.pollMs})`, schema: number.check(z.int('must be a whole number'), z.minimum(10, 'must be at least 10'), z.maximum(250, 'must be at most 250 (appends are noticed by polling)')), path: false },
  heartbeat_s: { flag: '--heartbeat-s <n>', help: `seconds between heartbeats (default ${AGENT_DEFAULTS.heartbeatMs / 1000})`, schema: number.check(z.minimum(0.1, 'must be at least 0.1')), path: false },
  outbox_max_mb: { flag: '--outbox-max-mb <n>', help: `reading pauses while this many MiB wait for the server (default ${AGENT_DEFAULTS.outboxMaxBytes / 1024 / 1024})`, schema: number.check(z.minimum(1, 'must be at least 1')), path: false },
  attune_process: { flag: '--attune-process <name>', help: `part of the Attune software's process name, Windows (default ${AGENT_DEFAULTS.attuneProcess})`, schema: text, path: false },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const settingFlag = (key: SettingKey): string => SETTINGS[key].flag;
export const settingHelp = (key: SettingKey): string => SETTINGS[key].help;
/** `--state-dir` for state_dir. */
export const flagName = (key: SettingKey): string => `--${key.replaceAll('_', '-')}`;
/** ATTUNE_AGENT_STATE_DIR for state_dir. */
export const envName = (key: SettingKey): string => `ATTUNE_AGENT_${key.toUpperCase()}`;
/** Commander's property name: stateDir for state_dir. */
export const optionName = (key: SettingKey): string => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The config file, already parsed: its values and the folder its relative paths start from. */
export interface ConfigFile {
  path: string;
  values: Record<string, unknown>;
}

export interface SettingSources {
  /** Flags as typed (strings), by setting key; absent when not given. */
  flags: Partial<Record<SettingKey, string>>;
  env: Record<string, string | undefined>;
  file?: ConfigFile;
}

interface Given {
  value: unknown;
  /** How the user named it: `--server`, `ATTUNE_AGENT_SERVER` or `agent.toml: server`. */
  where: string;
  /** Relative paths start here (the config file's folder, or the working folder). */
  base: string;
  /** Flag 3, environment 2, file 1. */
  rank: number;
}

export interface ResolveOptions {
  /** Windows paths on Windows; tests pass path.win32 to check them anywhere. */
  path: PlatformPath;
  cwd: string;
  platform: NodeJS.Platform;
  /** Reads token_file (a seam for tests). */
  readText?: (path: string) => string;
  /**
   * Refuses an unknown time zone with InvalidTimeZoneError. Intl's check by default; the running
   * agent passes its own, which creates no Intl.DateTimeFormat (see zone-offsets.ts).
   */
  checkTimeZone?: (zone: string) => void;
}

/**
 * The agent's configuration from its three sources. Throws AgentSettingsError naming the first
 * setting that is missing or wrong; unknown keys in the file are refused (a typo must not silently
 * fall back to a default).
 */
export function resolveAgentSettings(sources: SettingSources, options: ResolveOptions): AgentConfig {
  const { path, cwd } = options;
  if (sources.file !== undefined) {
    for (const key of Object.keys(sources.file.values)) {
      if (!Object.hasOwn(SETTINGS, key)) throw new AgentSettingsError(`${sources.file.path}: unknown key "${key}" (known keys: ${SETTING_KEYS.join(', ')})`);
    }
  }
  const given = (key: SettingKey): Given | undefined => {
    const flag = sources.flags[key];
    if (flag !== undefined) return { value: flag, where: flagName(key), base: cwd, rank: 3 };
    const env = sources.env[envName(key)];
    if (env !== undefined && env !== '') return { value: env, where: envName(key), base: cwd, rank: 2 };
    const file = sources.file;
    if (file !== undefined && Object.hasOwn(file.values, key)) return { value: file.values[key], where: `${file.path}: ${key}`, base: path.dirname(path.resolve(cwd, file.path)), rank: 1 };
    return undefined;
  };
  const parse = <K extends SettingKey>(key: K, found: Given): z.output<(typeof SETTINGS)[K]['schema']> => {
    const parsed = SETTINGS[key].schema.safeParse(found.value);
    if (!parsed.success) throw new AgentSettingsError(`${found.where} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
    const value = parsed.data as z.output<(typeof SETTINGS)[K]['schema']>;
    return (SETTINGS[key].path && typeof value === 'string' ? path.resolve(found.base, value) : value) as z.output<(typeof SETTINGS)[K]['schema']>;
  };
  const required = <K extends SettingKey>(key: K) => {
    const found = given(key);
    if (found === undefined) throw new AgentSettingsError(`${key} is required: give ${flagName(key)}, ${envName(key)} or "${key}" in the config file`);
    return parse(key, found);
  };
  const optional = <K extends SettingKey>(key: K) => {
    const found = given(key);
    return found === undefined ? undefined : parse(key, found);
  };

  const logsDir = required('logs') as string;
  const serverUrl = required('server') as string;
  const instrumentId = required('instrument') as string;
  const token = resolveToken(given('token'), given('token_file'), (found) => parse('token_file', found) as string, options.readText ?? ((file) => readFileSync(file, 'utf8')));
  // No zone given: this machine's, which the process already runs in (nothing to check).
  const timeZone = optional('timezone') as string | undefined;
  try {
    if (timeZone !== undefined) (options.checkTimeZone ?? assertTimeZone)(timeZone);
  } catch (error) {
    if (error instanceof InvalidTimeZoneError) throw new AgentSettingsError(`${given('timezone')?.where ?? 'timezone'}: ${error.message}`);
    throw error;
  }
  const heartbeatS = optional('heartbeat_s') as number | undefined;
  const outboxMaxMb = optional('outbox_max_mb') as number | undefined;
  return {
    ...AGENT_DEFAULTS,
    logsDir,
    serverUrl,
    instrumentId,
    token,
    stateDir: (optional('state_dir') as string | undefined) ?? defaultStateDir(options.platform, sources.env as NodeJS.ProcessEnv, cwd),
    ...(timeZone === undefined ? {} : { timeZone }),
    pollMs: (optional('poll_ms') as number | undefined) ?? AGENT_DEFAULTS.pollMs,
    heartbeatMs: heartbeatS === undefined ? AGENT_DEFAULTS.heartbeatMs : Math.round(heartbeatS * 1000),
    outboxMaxBytes: outboxMaxMb === undefined ? AGENT_DEFAULTS.outboxMaxBytes : Math.round(outboxMaxMb * 1024 * 1024),
    attuneProcess: (optional('attune_process') as string | undefined) ?? AGENT_DEFAULTS.attuneProcess,
  };
}

/** The token, given itself or as a file holding it: whichever comes from the stronger source. */
function resolveToken(token: Given | undefined, tokenFile: Given | undefined, filePath: (found: Given) => string, readText: (path: string) => string): string {
  if (token === undefined && tokenFile === undefined) throw new AgentSettingsError(`token is required: give --token, ATTUNE_AGENT_TOKEN, or "token" or "token_file" in the config file`);
  if (token !== undefined && tokenFile !== undefined && token.rank === tokenFile.rank) {
    throw new AgentSettingsError(`${token.where} and ${tokenFile.where} are both given: keep one`);
  }
  if (tokenFile !== undefined && (token === undefined || tokenFile.rank > token.rank)) {
    const file = filePath(tokenFile);
    let content: string;
    try {
      content = readText(file).trim();
    } catch (error) {
      throw new AgentSettingsError(`${tokenFile.where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (content === '') throw new AgentSettingsError(`${tokenFile.where}: ${file} is empty`);
    return content;
  }
  const parsed = text.safeParse(token!.value);
  if (!parsed.success) throw new AgentSettingsError(`${token!.where} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return parsed.data;
}

/** resolveAgentSettings with this machine's paths, platform and working folder. */
export function resolveAgentSettingsHere(sources: SettingSources, checkTimeZone?: (zone: string) => void): AgentConfig {
  return resolveAgentSettings(sources, { path: process.platform === 'win32' ? win32 : posix, cwd: process.cwd(), platform: process.platform, ...(checkTimeZone === undefined ? {} : { checkTimeZone }) });
}
