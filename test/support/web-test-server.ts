import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { errorHandler } from '../../src/server/create-app.ts';
import { RefusalLog } from '../../src/server/refusal-log.ts';
import type { ReadAccess } from '../../src/web/read-access.ts';
import { createWebApp, type WebAppOptions } from '../../src/web/web-app.ts';
import { webPlugin } from '../../src/web/web-plugin.ts';

/** The server's error mapping, logging nowhere. */
export function quietErrors(): WebAppOptions['onError'] {
  const log = pino({ level: 'silent' });
  return errorHandler(log, new RefusalLog(log, () => Date.now()));
}

export interface WebTestServer {
  url: string;
  /** Drops every open connection (live streams too), as a network break or a proxy would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * The web app alone on a real HTTP server on 127.0.0.1 (a free port, or `port` to start again where
 * one stopped); with `access`, guarded by the web plugin's own middleware, as the server guards it.
 */
export async function startWebServer(options: Omit<WebAppOptions, 'onError'> & { onError?: WebAppOptions['onError']; access?: ReadAccess }, port = 0): Promise<WebTestServer> {
  const { access, onError, ...rest } = options;
  const webApp = createWebApp({ onError: onError ?? quietErrors(), ...rest });
  const app = new Hono();
  if (access !== undefined) app.use('*', webPlugin({ access }).middleware!);
  app.route('/', webApp);
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => resolve(started));
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    dropConnections: () => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Live streams stay open until their page goes: end them, or close would wait for ever.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
