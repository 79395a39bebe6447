import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { DEFAULT_HOST, DEFAULT_PORT, SERVER_DEFAULTS, type ServerConfig } from '../server/server-config.ts';
import { systemTimeZone } from '../events/local-time.ts';
import type { ServerPlugin } from '../server/start-server.ts';
import { readAccessFor, ReadAccessError, type ReadAccess } from '../web/read-access.ts';
import { CliError } from './cli-errors.ts';
import { asCliError, DEFAULT_DB_PATH } from './store-options.ts';

// `attune-monitor server`: runs until SIGINT/SIGTERM, then closes the HTTP server (open
// connections too), stops its plugins and timers, closes the database and exits 0.

// Secrets are best given in the environment: a command line is visible to every user of the machine.
const READ_TOKEN_ENV = 'ATTUNE_READ_TOKEN';
const BASIC_AUTH_ENV = 'ATTUNE_BASIC_AUTH';
const ALLOWED_HOSTS_ENV = 'ATTUNE_ALLOWED_HOSTS';

const seconds = (option: string, min: number) => z.coerce.number({ error: `${option} must be a number` }).min(min, `${option} must be at least ${min}`);

// The command line is a trust boundary too.
const optionsSchema = z.object({
  db: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number({ error: '--port must be a number' }).int().min(0).max(65535, '--port must be at most 65535'),
  heartbeatIntervalS: seconds('--heartbeat-interval-s', 0.1),
  graceS: seconds('--grace-s', 0),
  silentS: seconds('--silent-s', 1),
  historicS: seconds('--historic-s', 0),
  verbose: z.boolean().optional(),
  readToken: z.string().optional(),
  basicAuth: z.string().optional(),
  publicRead: z.boolean().optional(),
  allowedHost: z.array(z.string().min(1)).optional(),
});

export type ServerOptions = z.infer<typeof optionsSchema>;

export function registerServerCommand(program: Command): void {
  // Numbers, so that --help shows them as numbers (zod reads the strings given on the command line).
  const number = (flags: string, description: string, value: number) => new Option(flags, description).default(value);
  const s = (ms: number) => ms / 1000;
  program
    .command('server')
    .description('the HTTP API: takes the agents’ events and heartbeats, keeps each instrument’s live status')
    .option('--db <file>', 'the SQLite database of the event store', DEFAULT_DB_PATH)
    .option('--host <host>', 'the address to listen on (127.0.0.1: this machine only)', DEFAULT_HOST)
    .addOption(number('--port <n>', 'the port to listen on (0: any free one)', DEFAULT_PORT))
    .addOption(number('--heartbeat-interval-s <n>', 'seconds between agents’ heartbeats (their --heartbeat-s)', s(SERVER_DEFAULTS.heartbeatIntervalMs)))
    .addOption(number('--grace-s <n>', 'seconds an overdue heartbeat is waited for before the instrument is offline', s(SERVER_DEFAULTS.graceMs)))
    .addOption(number('--silent-s <n>', 'seconds of silence in the log during a run before the software counts as silent', s(SERVER_DEFAULTS.silentAfterMs)))
    .addOption(number('--historic-s <n>', 'events older than this when they arrive are history: their alerts are never posted', s(SERVER_DEFAULTS.historicAfterMs)))
    .option('--verbose', 'log every refused request and every change (debug level)')
    .addOption(new Option('--read-token <token>', 'the token the dashboard asks for (at least 16 characters)').env(READ_TOKEN_ENV))
    .addOption(new Option('--basic-auth <user:password>', 'credentials the dashboard asks for').env(BASIC_AUTH_ENV))
    .option('--public-read', 'let anyone who can reach the server read the dashboard (on a --host other than 127.0.0.1)')
    .addOption(
      new Option('--allowed-host <name...>', 'on a loopback --host: host names it answers besides 127.0.0.1, localhost and [::1] (e.g. a reverse proxy\'s)')
        .env(ALLOWED_HOSTS_ENV)
        .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(',').map((name) => name.trim()).filter((name) => name !== '')]),
    )
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new CliError(parsed.error.issues.map((issue) => issue.message).join('; '));
      await runServer(parsed.data);
    });
}

export function serverConfigFromOptions(options: ServerOptions): ServerConfig {
  return {
    ...SERVER_DEFAULTS,
    heartbeatIntervalMs: Math.round(options.heartbeatIntervalS * 1000),
    graceMs: Math.round(options.graceS * 1000),
    silentAfterMs: Math.round(options.silentS * 1000),
    historicAfterMs: Math.round(options.historicS * 1000),
  };
}

type SlackModule = typeof import('../slack/slack-plugin.ts');
type SlackHomeModule = typeof import('../slack/home/home-blocks.ts');

/**
 * What the server carries besides its API. The Slack app and the web pages
 * add theirs here, each a `ServerPlugin` built from the options and the environment.
 */
async function serverPlugins(options: ServerOptions, log: Logger, slack: SlackModule, slackHome: SlackHomeModule): Promise<ServerPlugin[]> {
  // Checked before anything loads: a dashboard open to the network by mistake never serves a page.
  const access = webAccess(options);
  const { webPlugin } = await import('../web/web-plugin.ts');
  // Slack: from the environment, into which the CLI's entry merged ./.env (docs/slack.md); "today" on the home tab is this machine's day (TZ).
  return [...slack.slackPluginsFromEnvironment(process.env, { log, timeZone: systemTimeZone() }), webPlugin({ access, homeTabBlocks: slackHome.slackHomePreview(systemTimeZone()) })];
}

/** ATTUNE_PUBLIC_URL (environment or .env): where people open the dashboard, for the "Open dashboard" button in Slack. */
export function publicUrlOf(env: Record<string, string | undefined>): string | null {
  const value = env.ATTUNE_PUBLIC_URL?.trim() ?? '';
  if (value === '') return null;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new CliError(`ATTUNE_PUBLIC_URL must be the http(s) address people open the dashboard at, not ${JSON.stringify(value)}`);
  return value;
}

/** Open on 127.0.0.1; elsewhere a read token or credentials, or `--public-read` said knowingly. */
export function webAccess(options: Pick<ServerOptions, 'host' | 'readToken' | 'basicAuth' | 'publicRead'>): ReadAccess {
  try {
    return readAccessFor({ host: options.host, readToken: options.readToken, basicAuth: options.basicAuth, publicRead: options.publicRead });
  } catch (error) {
    if (error instanceof ReadAccessError) throw new CliError(error.message);
    throw error;
  }
}

async function runServer(options: ServerOptions): Promise<void> {
  const log = pino({ level: options.verbose ? 'debug' : 'info', timestamp: pino.stdTimeFunctions.isoTime });
  // Listening before the server starts: a stop asked for during start-up still ends cleanly.
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM'];
  const stopAsked = new Promise<NodeJS.Signals>((resolveStop) => {
    for (const signal of signals) process.once(signal, () => resolveStop(signal));
  });
  const dbPath = resolve(options.db);
  // Loaded here, not at the top: every command shares main.ts, and the agent (a long-running
  // service on the instrument PC) should not carry the server's code in its memory.
  const { startServer } = await import('../server/start-server.ts');
  // The same for Slack: Bolt and its clients are large, and only the server carries them.
  const slack = await import('../slack/slack-plugin.ts');
  // Slack's home-tab blocks, for the web's preview and GET /api/v1/slack/home-blocks: served even
  // without a Slack app here (a lab's own bot in any language reads them).
  const slackHome = await import('../slack/home/home-blocks.ts');
  let server;
  try {
    server = await startServer({
      dbPath,
      host: options.host,
      port: options.port,
      config: serverConfigFromOptions(options),
      log,
      plugins: await serverPlugins(options, log, slack, slackHome),
      allowedHosts: options.allowedHost ?? [],
      slackHomeBlocks: slackHome.slackHomeBlocks({ timeZone: systemTimeZone(), publicUrl: publicUrlOf(process.env) }),
    });
  } catch (error) {
    if (error instanceof slack.SlackConfigError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EADDRINUSE') throw new CliError(`${options.host}:${options.port} is in use: is another server running? (choose another --port)`, 1);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on ${options.host}: no such address on this machine`, 1);
    throw asCliError(error);
  }
  log.info({ url: server.url, db: dbPath }, `listening on ${server.url}`);
  log.info({ signal: await stopAsked }, 'stopping');
  // A service manager waits about 10 s before it kills: the stop never outlasts that, whatever
  // Slack (or anything else the plugins talk to) does. What was not delivered stays queued.
  setTimeout(() => {
    log.error(`not stopped within ${STOP_DEADLINE_MS / 1000} s: exiting anyway`);
    log.flush();
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  await server.close();
  log.info('stopped');
  log.flush();
  // Everything is closed; a Slack call left in flight by the stop (its retry timers, a socket
  // waiting for an answer) must not keep the process alive.
  setTimeout(() => process.exit(0), 200).unref();
}

const STOP_DEADLINE_MS = 9000;
