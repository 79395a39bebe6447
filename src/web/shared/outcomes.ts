import type { RunOutcome } from '../../machines/monitor-types.ts';

/**
 * How the pages tell a run's outcome: a word and a mark beside the colour, so that nobody needs to
 * tell green from red (and a grey printout still says it). `open` is a run still going.
 */
export const OUTCOME_MARKS = {
  completed: { mark: '✓', word: 'completed' },
  failed: { mark: '✗', word: 'failed' },
  cancelled: { mark: '⊘', word: 'cancelled' },
  interrupted: { mark: '↯', word: 'interrupted' },
  unconfirmed: { mark: '?', word: 'unconfirmed' },
  open: { mark: '▶', word: 'still running' },
} as const satisfies Record<RunOutcome | 'open', { mark: string; word: string }>;

export type OutcomeKey = keyof typeof OUTCOME_MARKS;

/** The mark and word of an outcome as stored (null: still running); an unknown one keeps its own word. */
export function outcomeMark(outcome: string | null): { key: string; mark: string; word: string } {
  const key = outcome ?? 'open';
  const known = (OUTCOME_MARKS as Record<string, { mark: string; word: string }>)[key];
  return known === undefined ? { key, mark: '•', word: key } : { key, ...known };
}
