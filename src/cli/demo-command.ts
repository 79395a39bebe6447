import { Option, type Command } from 'commander';
import { z } from 'zod';
import { CliError } from './cli-errors.ts';

// `attune-monitor demo` (and `npm start` with nothing configured): the server, a demo instrument
// whose log is written live, and a real agent following it, until Ctrl-C stops them all.

const optionsSchema = z.object({
  speed: z.coerce.number({ error: '--speed must be a number' }).min(1, '--speed must be at least 1').max(10_000, '--speed must be at most 10000'),
  port: z.coerce.number({ error: '--port must be a number' }).int().min(0).max(65535, '--port must be at most 65535'),
  dataDir: z.string().min(1),
  historyDays: z.coerce.number({ error: '--history-days must be a number' }).int().min(0).max(365),
});

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the whole product on this machine: a server, a demo instrument written live from a real log, and a real agent')
    .addOption(new Option('--speed <n>', 'how much faster than recorded the log is written').default(60))
    .addOption(new Option('--port <n>', 'the port of the server on 127.0.0.1 (0: any free one)').default(8787))
    .option('--data-dir <dir>', 'where the database, the demo logs and the agent state go', './data')
    .addOption(new Option('--history-days <n>', 'days of generated history for the second instrument (first start only)').default(30))
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new CliError(parsed.error.issues.map((issue) => issue.message).join('; '));
      const options = parsed.data;
      const stopAsked = new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      // Loaded when it runs: every command shares main.ts, and the agent need not carry the demo.
      const { runDemo } = await import('../demo/run-demo.ts');
      let demo;
      try {
        demo = await runDemo({ ...options, pastLaunches: 3, print: (text) => process.stdout.write(text) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') throw new CliError(`port ${options.port} is in use: is a server or another demo running? (try --port 8788)`, 1);
        throw error;
      }
      await stopAsked;
      process.stdout.write('\nStopping the agent and the server…\n');
      await demo.stop();
      process.stdout.write('Stopped.\n');
    });
}
