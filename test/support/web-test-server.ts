import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createWebApp, type WebAppOptions } from '../../src/web/web-app.ts';

export interface WebTestServer {
  url: string;
  /** Drops every open connection (live streams too), as a network break or a proxy would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** The web app alone on a real HTTP server on 127.0.0.1 (a free port, or `port` to start again where one stopped). */
export async function startWebServer(options: WebAppOptions, port = 0): Promise<WebTestServer> {
  const app = createWebApp(options);
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
