import type { Command } from 'commander';
import { dbOption, withStore } from './store-options.ts';

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('drop and rebuild every projection (runs, sessions, alerts, state, stats) from the stored events')
    .addOption(dbOption())
    .action((options: { db: string }) => {
      const { summary, seconds, rows } = withStore(options.db, { create: false }, (store) => {
        const started = performance.now();
        const replayed = store.replay();
        const elapsed = (performance.now() - started) / 1000;
        return { summary: replayed, seconds: elapsed, rows: { runs: store.runs.count(), sessions: store.sessions.count(), alerts: store.alerts.count() } };
      });
      const n = (value: number) => value.toLocaleString('en-US');
      process.stdout.write(
        `Replayed ${n(summary.events)} events of ${n(summary.instruments)} instrument(s) in ${seconds.toFixed(2)} s` +
          ` (${n(Math.round(summary.events / Math.max(seconds, 1e-9)))} events/s)\n` +
          `  procedure runs ${n(rows.runs)}, user sessions ${n(rows.sessions)}, alerts ${n(rows.alerts)}\n`,
      );
    });
}
