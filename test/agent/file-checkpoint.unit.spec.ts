import { describe, expect, it } from 'vitest';
import { checkFileIdentity, fingerprintOf, FINGERPRINT_BYTES, freshCheckpoint, type FileCheckpoint } from '../../src/agent/file-checkpoint.ts';

const content = Buffer.from('2020-09-11 12:26:48.728,Info,,Application,hello,4132\r\n'.repeat(40));

function checkpointAfter(bytes: Buffer, offset: number): FileCheckpoint {
  return { ...freshCheckpoint('System_x.log'), offset, size: bytes.length, fingerprint: fingerprintOf(bytes.subarray(0, FINGERPRINT_BYTES)) };
}

describe('file identity', () => {
  it('hashes at most the first KiB', () => {
    expect(fingerprintOf(content)?.bytes).toBe(FINGERPRINT_BYTES);
    expect(fingerprintOf(content.subarray(0, 10))?.bytes).toBe(10);
    expect(fingerprintOf(Buffer.alloc(0))).toBeNull();
  });

  it('is the same file when it grew and starts with the same bytes', () => {
    const checkpoint = checkpointAfter(content.subarray(0, 500), 450);
    expect(checkFileIdentity(checkpoint, content.length, content.subarray(0, FINGERPRINT_BYTES))).toEqual({ kind: 'same' });
  });

  it('starts over when the file is shorter than the checkpoint (truncated)', () => {
    const checkpoint = checkpointAfter(content, 2000);
    expect(checkFileIdentity(checkpoint, 1000, content.subarray(0, 1000))).toEqual({ kind: 'restart', reason: 'truncated' });
  });

  it('starts over when the first bytes differ (replaced)', () => {
    const checkpoint = checkpointAfter(content, 2000);
    const other = Buffer.from(content);
    other[5] = 0x39;
    expect(checkFileIdentity(checkpoint, other.length, other.subarray(0, FINGERPRINT_BYTES))).toEqual({ kind: 'restart', reason: 'replaced' });
  });

  it('trusts a file never fingerprinted (empty when last seen)', () => {
    expect(checkFileIdentity(freshCheckpoint('System_x.log'), 10, content.subarray(0, 10))).toEqual({ kind: 'same' });
  });
});
