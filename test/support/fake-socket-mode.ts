import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

// Slack's Socket Mode end, for the fake: the app's client asks `apps.connections.open` for a
// URL, opens a WebSocket there, gets `hello`, then receives envelopes and must answer each with
// its envelope_id (the ack). Node 20 has a WebSocket client but no server, and the protocol
// needed here is small (RFC 6455 text frames, ping, close), so it is written out rather than
// adding a dependency for one test.

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const SOCKET_PATH = '/socket-mode';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class FakeSocketMode {
  readonly acks: SocketAck[] = [];
  private sockets = new Set<Duplex>();
  private waiters: Array<() => void> = [];

  constructor(server: Server) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Sends an envelope (`events_api`, `interactive`, `slash_commands`) to every connected app; returns its id. */
  send(type: 'events_api' | 'interactive' | 'slash_commands', payload: Record<string, unknown>, retryAttempt = 0): string {
    const envelopeId = randomUUID();
    const message = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: retryAttempt, retry_reason: retryAttempt > 0 ? 'timeout' : '' };
    for (const socket of this.sockets) socket.write(textFrame(JSON.stringify(message)));
    return envelopeId;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake Socket Mode: condition not met in ${timeoutMs} ms (acks: ${this.acks.length}, connections: ${this.sockets.size})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const key = req.headers['sec-websocket-key'];
    if (!req.url?.startsWith(SOCKET_PATH) || typeof key !== 'string') {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.wake();
    });
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = readFrame(buffered);
        if (frame === null) break;
        buffered = buffered.subarray(frame.length);
        this.onFrame(socket, frame.opcode, frame.payload);
      }
    });
    socket.write(textFrame(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0ATTUNE' }, debug_info: { host: 'fake' } })));
    this.wake();
  }

  private onFrame(socket: Duplex, opcode: number, payload: Buffer): void {
    if (opcode === 0x1) {
      this.acks.push(JSON.parse(payload.toString('utf8')) as SocketAck);
      this.wake();
    } else if (opcode === 0x9) {
      socket.write(frame(0xa, payload));
    } else if (opcode === 0x8) {
      socket.end(frame(0x8, payload.subarray(0, 2)));
    }
  }
}

function textFrame(text: string): Buffer {
  return frame(0x1, Buffer.from(text, 'utf8'));
}

/** A final, unmasked frame (servers do not mask). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** One whole frame from the start of `data` (clients mask theirs), or null until it has all arrived. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (data.length < 2) return null;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return null;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return null;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return null;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= data[maskOffset + (i % 4)]!;
  return { opcode, payload, length: offset + length };
}
