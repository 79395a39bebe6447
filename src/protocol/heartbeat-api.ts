import * as z from '../shared/zod-mini.ts';
import { instrumentIdSchema } from './instrument-id.ts';

// POST /api/v1/heartbeat: an agent says it is alive and how it is doing, on its own timer. The
// server tells "PC off / agent dead" (no heartbeats) from "agent fine, Attune software silent"
// (heartbeats, attune_running false or the followed file not growing) from "agent in trouble"
// (logs_dir_readable false, last_error set, outbox growing).

export const MAX_HEARTBEAT_BODY_BYTES = 64 * 1024;

const utcTime = z.iso.datetime({ precision: 3 });

export const followedFileSchema = z.strictObject({
  file: z.string().check(z.minLength(1), z.maxLength(260)),
  /** The file's size when the heartbeat was built. */
  size: z.number().check(z.int(), z.minimum(0)),
  /** Bytes read and safely handed on (to the outbox); bytes behind = max(0, size - offset). */
  offset: z.number().check(z.int(), z.minimum(0)),
});

export const heartbeatRequestSchema = z.strictObject({
  instrument_id: instrumentIdSchema,
  agent_version: z.string().check(z.minLength(1), z.maxLength(100)),
  host_name: z.string().check(z.maxLength(255)),
  /** Seconds since the agent process started. */
  uptime_s: z.number().check(z.minimum(0)),
  logs_dir: z.string().check(z.maxLength(1024)),
  logs_dir_readable: z.boolean(),
  /** The newest `System_*.log`, the one the software writes to; null when there is none. */
  following: z.nullable(followedFileSchema),
  /** When (agent clock, UTC) the agent last read a new complete line; null when it never has. */
  last_line_at: z.nullable(utcTime),
  /** Whether an Attune software process appears to run: best effort, 'unknown' where it cannot tell. */
  attune_running: z.union([z.boolean(), z.literal('unknown')]),
  /** Events waiting in the agent's outbox, and their size on disk. */
  outbox_depth: z.number().check(z.int(), z.minimum(0)),
  outbox_bytes: z.number().check(z.int(), z.minimum(0)),
  /** Outbox records or events moved aside to the agent's quarantine file: not sent, kept for a person to look at. Absent from older agents. */
  outbox_quarantined: z.optional(z.number().check(z.int(), z.minimum(0))),
  /** The agent's current problems, if any (null when all is well). */
  last_error: z.nullable(z.string().check(z.maxLength(2000))),
  /** The agent's clock when it sent this: lets the server see clock skew. */
  sent_at: utcTime,
});

export const heartbeatResponseSchema = z.object({
  ok: z.literal(true),
  server_time: utcTime,
});

export type FollowedFile = z.infer<typeof followedFileSchema>;
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;
