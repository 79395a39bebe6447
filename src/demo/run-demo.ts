import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { systemTimeZone } from '../events/local-time.ts';
import { SERVER_DEFAULTS } from '../server/server-config.ts';
import { startServer, type RunningServer } from '../server/start-server.ts';
import { EventStore } from '../store/event-store.ts';
import { webPlugin } from '../web/web-plugin.ts';
import { slackHomeBlocks, slackHomePreview } from '../slack/home/home-blocks.ts';
import { AgentChild } from './agent-child.ts';
import { importDemoHistory } from './demo-history.ts';
import { DemoLogWriter } from './demo-log-writer.ts';
import { playLength, readRecordedLog } from './retimed-log.ts';

export const DEMO_FIXTURE = fileURLToPath(new URL('../../fixtures/attune/System_2020-09-11_12-26-48.log', import.meta.url));
export const LIVE_INSTRUMENT = 'attune-demo';
export const HISTORY_INSTRUMENT = 'attune-history';

export interface DemoOptions {
  /** How much faster than it was recorded the log is written again. */
  speed: number;
  port: number;
  /** Everything the demo writes goes under here (`./data` by default). */
  dataDir: string;
  /** Launches written at once before the live one, for the countdowns' history. */
  pastLaunches: number;
  /** Days of generated history imported for the second instrument (first start only). */
  historyDays: number;
  print: (text: string) => void;
}

export interface RunningDemo {
  url: string;
  agentPid: number | undefined;
  /** Stops the writer, the agent (and waits for it to exit), then the server. */
  stop(): Promise<void>;
}

/**
 * The whole product on one machine: a server on 127.0.0.1 with its SQLite file, the real log
 * written again as if an instrument were running now, and a real agent process following it. The
 * only thing made up is the instrument.
 */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const data = resolve(options.dataDir);
  const paths = { db: join(data, 'demo.db'), logs: join(data, 'demo-logs'), agentState: join(data, 'demo-agent'), serverLog: join(data, 'demo-server.log') };
  mkdirSync(data, { recursive: true });
  // The agent's checkpoints belong to the files it followed: both start afresh each time. The
  // database keeps what it was told, as a server does.
  for (const dir of [paths.logs, paths.agentState]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  const store = EventStore.open(paths.db);
  let token: string;
  try {
    if (options.historyDays > 0 && store.instrumentStatus(HISTORY_INSTRUMENT) === null) options.print(`Generating ${options.historyDays} days of lab history for ${HISTORY_INSTRUMENT} (first start only)…\n`);
    importDemoHistory(store, HISTORY_INSTRUMENT, options.historyDays, Date.now());
    token = store.agentTokens().create(LIVE_INSTRUMENT).token;
  } finally {
    store.close();
  }

  const log = readRecordedLog(readFileSync(DEMO_FIXTURE, 'utf8'));
  const writer = new DemoLogWriter({ dir: paths.logs, log, speed: options.speed, pauseMs: 20_000 });
  writer.writePast(options.pastLaunches);

  const serverLog = pino({ level: 'info', timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: paths.serverLog, sync: true }));
  const server: RunningServer = await startServer({
    dbPath: paths.db,
    host: '127.0.0.1',
    port: options.port,
    config: SERVER_DEFAULTS,
    log: serverLog,
    plugins: [webPlugin({ access: { kind: 'open' }, homeTabBlocks: slackHomePreview(systemTimeZone()) })],
    slackHomeBlocks: slackHomeBlocks({ timeZone: systemTimeZone(), publicUrl: null }),
  });
  const agent = new AgentChild({ logsDir: paths.logs, serverUrl: server.url, instrumentId: LIVE_INSTRUMENT, token, stateDir: paths.agentState, logFile: join(paths.agentState, 'agent.log') });
  writer.start();
  options.print(introduction(server.url, options, playLength(log, options.speed), paths, data));

  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    agentPid: agent.pid,
    stop: () =>
      (stopping ??= (async () => {
        writer.stop();
        await agent.stop();
        await server.close();
      })()),
  };
}

function introduction(url: string, options: DemoOptions, playMs: number, paths: Record<'db' | 'logs' | 'agentState' | 'serverLog', string>, data: string): string {
  const here = (path: string) => relative(process.cwd(), path) || '.';
  const minutes = Math.max(1, Math.round(playMs / 60_000));
  return `
attune-monitor demo: the whole product, running on this machine.

  Dashboard       ${url}/
  Kiosk           ${url}/kiosk/${LIVE_INSTRUMENT}
  Statechart      ${url}/statechart
  Slack home tab  ${url}/slack-preview
  API             ${url}/api/v1/instruments

What you are seeing:
  ${LIVE_INSTRUMENT}     A real Attune NxT log (2.5 hours of one lab day) written again ${options.speed}× faster into
                  ${here(paths.logs)}/, as the Attune software writes it: one System_*.log per launch,
                  lines re-timed to now. A real agent process follows that folder and ships every line
                  to the server, which keeps the event stream in ${here(paths.db)} and pushes each
                  change to the pages. A launch lasts about ${minutes} min, then the software "restarts".
                  ${options.pastLaunches} earlier launches were written first and the agent caught up on them:
                  that is the history the countdowns learn from. Durations are ${options.speed}× shorter than real.
  ${HISTORY_INSTRUMENT}  ${options.historyDays} days of generated lab logs (src/synthetic), imported once as a lab imports
                  its old logs: the duration charts and the run history. No agent runs for it.

Logs: ${here(paths.serverLog)}, ${here(join(paths.agentState, 'agent.log'))}. Data: ${here(data)}/.
Press Ctrl-C to stop the server and the agent.
`;
}
