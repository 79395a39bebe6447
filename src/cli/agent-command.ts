import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AGENT_DEFAULTS, defaultStateDir, type AgentConfig } from '../agent/agent-config.ts';
import { startAgent } from '../agent/agent.ts';
import { StateMismatchError } from '../agent/checkpoint-store.ts';
import { StateLockedError } from '../agent/state-lock.ts';
import { assertTimeZone, InvalidTimeZoneError, systemTimeZone } from '../events/local-time.ts';
import { instrumentIdSchema } from '../protocol/instrument-id.ts';
import { CliError } from './cli-errors.ts';

// `attune-monitor agent`: runs until SIGINT/SIGTERM (Ctrl+C, a service manager stopping it),
// then finishes the step in progress, saves its checkpoints and exits 0.

const TOKEN_ENV = 'ATTUNE_MONITOR_TOKEN';

const number = (what: string) => z.coerce.number({ error: `${what} must be a number` });

// The command line is a trust boundary too: checked here so the agent only sees sane values.
const optionsSchema = z.object({
  logs: z.string().min(1),
  server: z.url({ protocol: /^https?$/, error: '--server must be an http:// or https:// URL' }),
  instrument: instrumentIdSchema,
  token: z.string({ error: `--token (or ${TOKEN_ENV}) is required` }).min(1, `--token (or ${TOKEN_ENV}) is required`),
  stateDir: z.string().min(1).optional(),
  timezone: z.string().min(1),
  pollMs: number('--poll-ms').int().min(10, '--poll-ms must be at least 10').max(250, '--poll-ms must be at most 250 (appends are noticed by polling)'),
  heartbeatS: number('--heartbeat-s').min(0.1, '--heartbeat-s must be at least 0.1'),
  outboxMaxMb: number('--outbox-max-mb').min(1, '--outbox-max-mb must be at least 1'),
  attuneProcess: z.string().min(1),
  verbose: z.boolean().optional(),
});

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('follow the Attune System_*.log files of this PC and ship their events to the server')
    .requiredOption('--logs <dir>', "the Attune software's logs folder")
    .requiredOption('--server <url>', 'the attune-monitor server, e.g. http://monitor.lab:8787')
    .requiredOption('--instrument <id>', 'this instrument’s id on the server')
    .addOption(new Option('--token <token>', "the instrument's agent token").env(TOKEN_ENV))
    .option('--state-dir <dir>', `checkpoints and outbox (default: ${defaultStateDir()})`)
    .option('--timezone <iana>', "the instrument PC's time zone", systemTimeZone())
    .option('--poll-ms <n>', 'how often the logs are looked at, in ms (≤ 250)', String(AGENT_DEFAULTS.pollMs))
    .option('--heartbeat-s <n>', 'seconds between heartbeats', String(AGENT_DEFAULTS.heartbeatMs / 1000))
    .option('--outbox-max-mb <n>', 'reading pauses while this many MiB of events wait for the server', String(AGENT_DEFAULTS.outboxMaxBytes / 1024 / 1024))
    .option('--attune-process <name>', 'part of the Attune software’s process name (Windows)', AGENT_DEFAULTS.attuneProcess)
    .option('--verbose', 'log every step (debug level)')
    .action(async (raw: Record<string, unknown>) => {
      await runAgent(agentConfigFromOptions(raw), raw.verbose === true);
    });
}

export function agentConfigFromOptions(raw: Record<string, unknown>): AgentConfig {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const options = parsed.data;
  try {
    assertTimeZone(options.timezone);
  } catch (error) {
    if (error instanceof InvalidTimeZoneError) throw new CliError(error.message);
    throw error;
  }
  return {
    ...AGENT_DEFAULTS,
    logsDir: resolve(options.logs),
    serverUrl: options.server,
    instrumentId: options.instrument,
    token: options.token,
    stateDir: resolve(options.stateDir ?? defaultStateDir()),
    timeZone: options.timezone,
    pollMs: options.pollMs,
    heartbeatMs: Math.round(options.heartbeatS * 1000),
    outboxMaxBytes: Math.round(options.outboxMaxMb * 1024 * 1024),
    attuneProcess: options.attuneProcess,
  };
}

async function runAgent(config: AgentConfig, verbose: boolean): Promise<void> {
  const log = pino({ level: verbose ? 'debug' : 'info', timestamp: pino.stdTimeFunctions.isoTime });
  // Listening before the agent starts: a stop asked for during start-up still ends cleanly.
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM'];
  const stopAsked = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve(signal));
  });
  let agent;
  try {
    agent = await startAgent(config, { log });
  } catch (error) {
    if (error instanceof StateLockedError || error instanceof StateMismatchError) throw new CliError(error.message, 1);
    throw error;
  }
  log.info({ signal: await stopAsked }, 'stopping');
  await agent.stop();
  log.flush();
}
