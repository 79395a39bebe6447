/** Runs `work` `rounds` times and reports the best round (least disturbed by the other core's load). */
export function bestOf<T>(rounds: number, work: () => T): { seconds: number; result: T } {
  let best = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    result = work();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (seconds < best) best = seconds;
  }
  return { seconds: best, result: result as T };
}

export function rate(count: number, seconds: number): string {
  return `${Math.round(count / seconds).toLocaleString('en-US')}`;
}

export function printRow(label: string, value: string, target?: string): void {
  console.log(`  ${label.padEnd(44)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}`);
}
