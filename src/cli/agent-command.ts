import type { Command } from 'commander';
import { addAgentOptions, agentConfigFrom } from '../agent/cli/agent-options.ts';
import { AgentSettingsError } from '../agent/cli/agent-settings.ts';
import { AgentStartError, runAgent } from '../agent/cli/run-agent.ts';
import type { AgentConfig } from '../agent/agent-config.ts';
import { CliError } from './cli-errors.ts';

// `attune-monitor agent`: the agent run from the project (the instrument PC runs the standalone
// `attune-agent`, built from the same code: same options, same config file). Runs until
// SIGINT/SIGTERM, then saves its checkpoints and exits 0.

export function registerAgentCommand(program: Command): void {
  addAgentOptions(program.command('agent').description('follow the Attune System_*.log files of this PC and ship their events to the server'))
    .option('--verbose', 'log every step (debug level)')
    .action(async (raw: Record<string, unknown>) => {
      const config = agentConfigFromOptions(raw);
      try {
        await runAgent(config, raw.verbose === true);
      } catch (error) {
        if (error instanceof AgentStartError) throw new CliError(error.message, 1);
        throw error;
      }
    });
}

/** The configuration from the command's options and the environment; a bad setting is a CliError (exit 2). */
export function agentConfigFromOptions(raw: Record<string, unknown>, env: Record<string, string | undefined> = process.env): AgentConfig {
  try {
    return agentConfigFrom(raw, env);
  } catch (error) {
    if (error instanceof AgentSettingsError) throw new CliError(error.message);
    throw error;
  }
}
