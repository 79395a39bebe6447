import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpText, MAX_ANSWER_BYTES } from '../../src/agent/http-text.ts';
import { IngestClient } from '../../src/agent/ingest-client.ts';

// The agent's HTTP client against real servers on 127.0.0.1: what it sends, and every way a
// request can end without an answer (each must reject, never hang or resolve half an answer).

let server: Server | null = null;

async function serve(handle: (request: IncomingMessage, body: string, response: ServerResponse) => void, keepAliveTimeoutMs = 5000): Promise<string> {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

describe('httpText', () => {
  it('sends the method, headers and UTF-8 body, and reads the status and the whole answer', async () => {
    const seen: Array<{ method?: string; type?: string; length?: string; body: string }> = [];
    const url = await serve((request, body, response) => {
      seen.push({ method: request.method, type: request.headers['content-type'], length: request.headers['content-length'], body });
      response.writeHead(201, { 'content-type': 'application/json' });
      response.write('{"ok":');
      setTimeout(() => response.end('"µ"}'), 20);
    });
    const answer = await httpText(`${url}/api`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}', signal: AbortSignal.timeout(5000) });
    expect(answer).toEqual({ status: 201, text: '{"ok":"µ"}', location: null });
    expect(seen).toEqual([{ method: 'POST', type: 'application/json', length: String(Buffer.byteLength('{"a":"é"}')), body: '{"a":"é"}' }]);
  });

  it('rejects an answer larger than it would ever need, without holding it (a wrong address streaming a file)', async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // Far more than the cap, written as long as the client reads.
      let left = (4 * MAX_ANSWER_BYTES) / chunk.length;
      const write = () => {
        while (left > 0 && response.write(chunk)) left--;
        if (left > 0) response.once('drain', write);
        else response.end();
      };
      write();
    });
    await expect(httpText(url, { method: 'GET', signal: AbortSignal.timeout(5000) })).rejects.toThrow(`larger than ${MAX_ANSWER_BYTES} bytes`);
  });

  it('reports a redirect with where it points instead of following it; the agent says to set the server address', async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(308, { location: 'https://monitor.example/api/v1/events' });
      response.end();
    });
    await expect(httpText(`${url}/api/v1/events`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5000) })).resolves.toEqual({
      status: 308,
      text: '',
      location: 'https://monitor.example/api/v1/events',
    });
    const client = new IngestClient({ serverUrl: url, token: 'agent-token', instrumentId: 'attune-1' });
    const result = await client.postEvents([], 5000, new AbortController().signal);
    expect(result).toMatchObject({ kind: 'rejected', status: 308 });
    expect(result.kind === 'ok' ? '' : result.message).toContain('redirects to "https://monitor.example/api/v1/events": set the server address');
  });

  it('rejects with a TimeoutError when the server accepts and never answers', async () => {
    const url = await serve(() => {});
    await expect(httpText(url, { method: 'GET', signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects when the server closes the connection halfway through its answer', async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('partial');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await expect(httpText(url, { method: 'GET', signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('rejects with the errno code when nothing listens', async () => {
    const url = await serve(() => {});
    await new Promise((resolve) => server!.close(resolve));
    await expect(httpText(url, { method: 'GET', signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects at once with the reason of a signal that already aborted, and for a URL it cannot send to', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(httpText('http://127.0.0.1:9/', { method: 'GET', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(httpText('ftp://127.0.0.1/', { method: 'GET', signal: AbortSignal.timeout(5000) })).rejects.toThrow(/unsupported protocol ftp:/);
  });

  it('keeps answering requests spaced by the server\'s keep-alive timeout (as heartbeats are: every 10 s, beyond a usual 5 s keep-alive)', async () => {
    const url = await serve((_request, _body, response) => response.end('ok'), 1000);
    for (let i = 0; i < 3; i++) {
      expect(await httpText(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5000) })).toEqual({ status: 200, text: 'ok', location: null });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
});
