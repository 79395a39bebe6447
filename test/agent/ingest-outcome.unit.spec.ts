import { describe, expect, it } from 'vitest';
import { failureForStatus } from '../../src/agent/ingest-outcome.ts';

describe('what the agent does with a failed answer', () => {
  it.each([
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [413, 'too_large'],
    [400, 'rejected'],
    [401, 'rejected'],
    [403, 'rejected'],
    [404, 'rejected'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(failureForStatus(status, 'x').kind).toBe(kind);
  });
});
