import type { Logger } from 'pino';
import type { ServerPlugin } from '../server/start-server.ts';
import { slackSettingsFrom, type SlackConfig, type SlackSettings } from './config/slack-config.ts';
import { userMapOf } from './config/user-map.ts';
import { SlackApp, type SlackAppOptions } from './slack-app.ts';
import { slackConnection } from './slack-connection.ts';

export { SlackConfigError } from './config/slack-config.ts';

export interface SlackPluginOptions {
  log: Logger;
  /** The lab's zone: where "today" starts on the home tab. */
  timeZone: string;
  /** Tests shorten these. */
  tuning?: Pick<SlackAppOptions, 'tickMs' | 'homeMinIntervalMs' | 'retryConfig' | 'socketRetryMs' | 'alertRetryMs' | 'stopGraceMs'>;
  /** Hands the started app out (tests wait on it to settle). */
  onStarted?: (app: SlackApp) => void;
}

/**
 * The Slack app as a plugin of `attune-monitor server`: in HTTP mode its `/slack/events` route is
 * mounted on the server's own Hono app (same port); it starts once the server listens (the live
 * feed has read the history by then) and stops before the database closes.
 */
export function slackPlugin(config: SlackConfig, options: SlackPluginOptions): ServerPlugin {
  const connection = slackConnection(config, options.log);
  const routes = connection.routes;
  let app: SlackApp | null = null;
  return {
    name: 'slack',
    ...(routes === null ? {} : { routes: (server) => void server.route('/', routes) }),
    async start(server) {
      app = await SlackApp.start({
        config,
        feed: server.feed,
        db: server.store.connectionForOwnTables(),
        log: options.log,
        timeZone: options.timeZone,
        now: () => new Date(server.clock.now()),
        connection,
        ...options.tuning,
      });
      options.onStarted?.(app);
    },
    async stop() {
      await app?.stop();
    },
  };
}

/**
 * The server's Slack plugins from its settings: none when Slack is not configured (said once, so
 * nobody wonders why nothing is posted); a half configuration or an unreadable user map stops the
 * start with a SlackConfigError that names what to fix.
 */
export function slackPlugins(settings: SlackSettings, options: SlackPluginOptions): ServerPlugin[] {
  if (!settings.enabled) {
    options.log.info('Slack: not configured (no SLACK_* settings): running without Slack');
    return [];
  }
  for (const note of settings.notes) options.log.warn(`Slack: ${note}`);
  // Read now, before anything listens: a wrong path fails the start, not the first alert.
  userMapOf(settings.config);
  return [slackPlugin(settings.config, options)];
}

/** The same from the environment, as `attune-monitor server` reads it (its entry has merged `./.env` in). */
export function slackPluginsFromEnvironment(env: NodeJS.ProcessEnv, options: SlackPluginOptions): ServerPlugin[] {
  return slackPlugins(slackSettingsFrom(env), options);
}
