import { Command, CommanderError } from 'commander';
import { loadEnvFile } from '../shared/env-file.ts';
import { productVersion } from '../shared/product-version.ts';
import { CliError } from './cli-errors.ts';

type Register = (program: Command) => void;

// Each command's module (and what it pulls in: the machines, SQLite, the web server…) is loaded
// only when that command runs, so a long-running agent carries none of the others' code. Help
// and unknown commands load them all.
const COMMANDS: Record<string, () => Promise<Register>> = {
  runs: async () => (await import('./runs-command.ts')).registerRunsCommand,
  import: async () => (await import('./import-command.ts')).registerImportCommand,
  replay: async () => (await import('./replay-command.ts')).registerReplayCommand,
  status: async () => (await import('./status-command.ts')).registerStatusCommand,
  history: async () => (await import('./history-command.ts')).registerHistoryCommand,
  estimate: async () => (await import('./estimate-command.ts')).registerEstimateCommand,
  agent: async () => (await import('./agent-command.ts')).registerAgentCommand,
  server: async () => (await import('./server-command.ts')).registerServerCommand,
  token: async () => (await import('./token-command.ts')).registerTokenCommand,
  demo: async () => (await import('./demo-command.ts')).registerDemoCommand,
};

// Every command reads .env from the working folder (the environment wins over it).
loadEnvFile();

const program = new Command();
program
  .name('attune-monitor')
  .description('Live status of an Attune NxT flow cytometer: log agent, event store, Slack app and web dashboard')
  .version(productVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

const requested = process.argv[2];
const needed = requested !== undefined && Object.hasOwn(COMMANDS, requested) ? [requested] : Object.keys(COMMANDS);
for (const name of needed) (await (COMMANDS[name] as () => Promise<Register>)())(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof CliError) {
    process.stderr.write(`attune-monitor: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`attune-monitor: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
