/**
 * Runs `work` `rounds` times and reports the best round in CPU seconds of this process (user +
 * system): on a shared two-core machine, wall time mostly measures the neighbours.
 */
export function bestOf<T>(rounds: number, work: () => T): { seconds: number; result: T } {
  let best = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage();
    result = work();
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
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
