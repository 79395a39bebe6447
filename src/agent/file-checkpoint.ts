import { createHash } from 'node:crypto';
import * as z from '../shared/zod-mini.ts';
import type { LogEventReaderState } from '../events/log-event-reader.ts';

// How far the agent got in one log file, and how to tell whether that file is still the same
// file. Pure: the decisions below are what the follower does with what it finds on disk.

/** A file is recognised by a hash of its first bytes (at most this many). */
export const FINGERPRINT_BYTES = 1024;

export interface Fingerprint {
  /** How many leading bytes were hashed (fewer than FINGERPRINT_BYTES while the file was shorter). */
  bytes: number;
  sha256: string;
}

export interface FileCheckpoint {
  name: string;
  /** Byte offset just after the last complete line whose events are in the outbox (or acknowledged). */
  offset: number;
  /** Lines before `offset`, so line numbers in source keys continue correctly after a restart. */
  lineNumber: number;
  /** Null until the file had a byte. */
  fingerprint: Fingerprint | null;
  /** The file's size when it was last read (informative). */
  size: number;
  /** The file was read to its end after a newer file appeared, and `log_ended` is in the outbox. */
  ended: boolean;
  /** The event reader's state at `offset`. */
  reader: LogEventReaderState;
}

export const fileCheckpointSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  offset: z.number().check(z.int(), z.minimum(0)),
  lineNumber: z.number().check(z.int(), z.minimum(0)),
  fingerprint: z.nullable(z.strictObject({ bytes: z.number().check(z.int(), z.minimum(1), z.maximum(FINGERPRINT_BYTES)), sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)) })),
  size: z.number().check(z.int(), z.minimum(0)),
  ended: z.boolean(),
  // `lastUtc` came later: a checkpoint written before it reads on from the local time alone.
  reader: z.strictObject({ opened: z.boolean(), lastTimestamp: z.nullable(z.string()), lastUtc: z._default(z.nullable(z.string()), null) }),
});

export function freshCheckpoint(name: string): FileCheckpoint {
  return { name, offset: 0, lineNumber: 0, fingerprint: null, size: 0, ended: false, reader: { opened: false, lastTimestamp: null, lastUtc: null } };
}

export function fingerprintOf(head: Uint8Array): Fingerprint | null {
  if (head.length === 0) return null;
  const bytes = Math.min(head.length, FINGERPRINT_BYTES);
  return { bytes, sha256: createHash('sha256').update(head.subarray(0, bytes)).digest('hex') };
}

export type FileIdentity = { kind: 'same' } | { kind: 'restart'; reason: 'truncated' | 'replaced' };

/**
 * Is the file on disk still the one the checkpoint was taken from? `head` holds its first
 * min(size, FINGERPRINT_BYTES) bytes. Shorter than the checkpoint's offset means it was truncated;
 * different first bytes mean it was replaced. Either way the file is read again from the start:
 * the source keys of what was already sent make the re-sent events duplicates on the server.
 */
export function checkFileIdentity(checkpoint: FileCheckpoint, size: number, head: Uint8Array): FileIdentity {
  if (size < checkpoint.offset) return { kind: 'restart', reason: 'truncated' };
  const known = checkpoint.fingerprint;
  if (known === null) return { kind: 'same' };
  if (head.length < known.bytes) return { kind: 'restart', reason: 'truncated' };
  const now = fingerprintOf(head.subarray(0, known.bytes));
  return now?.sha256 === known.sha256 ? { kind: 'same' } : { kind: 'restart', reason: 'replaced' };
}

/** Nothing to save: the checkpoint did not move. */
export function sameCheckpoint(a: FileCheckpoint, b: FileCheckpoint): boolean {
  return (
    a.offset === b.offset &&
    a.lineNumber === b.lineNumber &&
    a.ended === b.ended &&
    a.size === b.size &&
    a.fingerprint?.sha256 === b.fingerprint?.sha256 &&
    a.reader.opened === b.reader.opened &&
    a.reader.lastTimestamp === b.reader.lastTimestamp &&
    a.reader.lastUtc === b.reader.lastUtc
  );
}
