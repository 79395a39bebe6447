import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// After catching up on a day of logs the heap holds what the catch-up left behind until V8 next
// needs room, which at rest may be never. One full collection when a catch-up ends gives it back.
// `gc` is only exposed with --expose-gc; setting the flag at run time and taking `gc` from a fresh
// context exposes it without a command-line flag (the service and the executables run without one).

let collect: (() => void) | null | undefined;

function fullCollection(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collect = typeof gc === 'function' ? () => (gc as () => void)() : null;
  } catch {
    collect = null;
  }
  return collect;
}

/**
 * Tells a catch-up from rest: `settled(bytesRead)` is called after each quiet poll with the total
 * read so far; when at least `minBytes` were read since the last collection, collects once.
 */
export class CatchUpCollector {
  private readonly minBytes: number;
  private collectedAt = 0;

  constructor(minBytes: number) {
    this.minBytes = minBytes;
  }

  /** Returns whether it collected. */
  settled(bytesRead: number, run: () => (() => void) | null = fullCollection): boolean {
    if (bytesRead - this.collectedAt < this.minBytes) return false;
    this.collectedAt = bytesRead;
    const gc = run();
    if (gc === null) return false;
    gc();
    return true;
  }
}
