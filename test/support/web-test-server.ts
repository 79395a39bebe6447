import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createWebApp, type WebAppOptions } from '../../src/web/web-app.ts';

export interface WebTestServer {
  url: string;
  /** Drops every open connection (live streams too), as a network break or a proxy would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** The web app alone on a real HTTP server on 127.0.0.1 (a free port). */
export async function startWebServer(options: WebAppOptions): Promise<WebTestServer> {
  const app = createWebApp(options);
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
