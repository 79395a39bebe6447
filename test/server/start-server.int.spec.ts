import { join } from 'node:path';
import { streamSSE } from 'hono/streaming';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { startServer, type RunningServer, type ServerPlugin } from '../../src/server/start-server.ts';
import { tempDir } from './server-test-kit.ts';

// The extension point the Slack app and the web pages use: a plugin's middleware, routes (with the
// store and feed ready), start and stop, on a real server on 127.0.0.1.

describe('server plugins', () => {
  it('mount middleware and routes that read the feed, start once listening, stop before the database closes', async () => {
    const calls: string[] = [];
    let running: RunningServer | null = null;
    const plugin: ServerPlugin = {
      name: 'test',
      middleware: async (c, next) => {
        if (c.req.path === '/guarded' && c.req.header('x-key') !== 'open sesame') return c.json({ error: { code: 'unauthorized', message: 'no key' } }, 401);
        await next();
      },
      routes: (app, { feed, store }) => {
        calls.push(`routes (database open: ${store.isOpen})`);
        app.get('/guarded', (c) => c.json({ instruments: feed.instruments().length }));
        app.get('/stream', (c) =>
          streamSSE(c, async (stream) => {
            await stream.writeSSE({ data: 'hello' });
            await new Promise(() => {}); // an event stream stays open until the server closes it
          }),
        );
      },
      start: (server) => {
        running = server;
        calls.push(`start (${server.url})`);
      },
      stop: () => {
        calls.push(`stop (database open: ${running!.store.isOpen})`);
      },
    };
    const server = await startServer({ dbPath: join(tempDir(), 'plugins.db'), host: '127.0.0.1', port: 0, config: SERVER_DEFAULTS, log: pino({ level: 'silent' }), plugins: [plugin] });
    server.tokens.register('nxt-1', 'a-token');
    expect(calls).toEqual(['routes (database open: true)', `start (${server.url})`]);
    expect((await fetch(`${server.url}/guarded`)).status).toBe(401);
    expect(await (await fetch(`${server.url}/guarded`, { headers: { 'x-key': 'open sesame' } })).json()).toEqual({ instruments: 1 });
    expect((await fetch(`${server.url}/api/v1/instruments`)).status).toBe(200);
    expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);

    const stream = await fetch(`${server.url}/stream`);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('data: hello');
    const ended = reader.read().then(
      (result) => result.done,
      () => true,
    );
    await server.close();
    expect(await ended).toBe(true);
    expect(calls.at(-1)).toBe('stop (database open: true)');
    expect(server.store.isOpen).toBe(false);
  });

  it('closes everything it opened when a plugin fails to start', async () => {
    const dbPath = join(tempDir(), 'failing.db');
    const failing: ServerPlugin = {
      name: 'failing',
      start: () => {
        throw new Error('no Slack token');
      },
    };
    await expect(startServer({ dbPath, host: '127.0.0.1', port: 0, config: SERVER_DEFAULTS, log: pino({ level: 'silent' }), plugins: [failing] })).rejects.toThrow('no Slack token');
    // Nothing is left half-open: a server starts again on the same database.
    const next = await startServer({ dbPath, host: '127.0.0.1', port: 0, config: SERVER_DEFAULTS, log: pino({ level: 'silent' }) });
    await next.close();
  });
});
