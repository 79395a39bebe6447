import { Command, CommanderError } from 'commander';
import { registerAgentCommand } from './agent-command.ts';
import { CliError } from './cli-errors.ts';
import { registerEstimateCommand } from './estimate-command.ts';
import { registerHistoryCommand } from './history-command.ts';
import { registerImportCommand } from './import-command.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerRunsCommand } from './runs-command.ts';
import { registerServerCommand } from './server-command.ts';
import { registerStatusCommand } from './status-command.ts';
import { registerTokenCommand } from './token-command.ts';

const program = new Command();
program
  .name('attune-monitor')
  .description('Live status of an Attune NxT flow cytometer: log agent, event store, Slack app and web dashboard')
  .showHelpAfterError()
  .exitOverride();

registerRunsCommand(program);
registerImportCommand(program);
registerReplayCommand(program);
registerStatusCommand(program);
registerHistoryCommand(program);
registerEstimateCommand(program);
registerAgentCommand(program);
registerServerCommand(program);
registerTokenCommand(program);

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
