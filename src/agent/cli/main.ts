import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isSea } from 'node:sea';
import { Command, CommanderError, Option } from 'commander';
import { loadEnvFile } from '../../shared/env-file.ts';
import { productVersion } from '../../shared/product-version.ts';
import { runChecks, formatChecks } from './agent-check.ts';
import { AGENT_NODE_FLAGS } from './node-flags.ts';
import { addAgentOptions, agentConfigFrom, configPathFrom } from './agent-options.ts';
import { AgentSettingsError, resolveAgentSettingsHere } from './agent-settings.ts';
import { readConfigFile } from './config-file.ts';
import { AgentStartError, runAgent } from './run-agent.ts';
import { zoneOffsets } from '../zone-offsets.ts';
import { localServiceHost, runServicePlan, ServiceStepError } from './service/run-service-plan.ts';
import { SERVICE_ACTIONS, type AgentLaunch, type ServiceAction } from './service/service-plan.ts';
import { systemdPlan } from './service/systemd-service.ts';
import { windowsServicePlan } from './service/windows-service.ts';

// `attune-agent`: the agent as the instrument PC runs it, built into one file and one executable
// (`npm run build:agent`). `run` (the default) follows the logs; `check` is IT's checklist;
// `service` installs and drives the Windows service (systemd on Linux).

/** How this process was started: the single executable, or node with the one-file script. */
const launch: AgentLaunch = isSea() ? { program: process.execPath, leadingArgs: [] } : { program: process.execPath, leadingArgs: [...AGENT_NODE_FLAGS, resolve(process.argv[1] ?? '')] };
/** agent.toml beside the executable (or the script): used when no --config is given and it exists. */
const besideMe = join(dirname(launch.leadingArgs.at(-1) ?? launch.program), 'agent.toml');

function configOptions(options: Record<string, unknown>): Record<string, unknown> {
  return configPathFrom(options, process.env) === undefined && existsSync(besideMe) ? { ...options, config: besideMe } : options;
}

const program = new Command()
  .name('attune-agent')
  .description('Follows the Attune NxT System_*.log files of this PC and ships their events to the attune-monitor server')
  .version(productVersion(), '-v, --version')
  .showHelpAfterError()
  .exitOverride();

addAgentOptions(program.command('run', { isDefault: true }).description('follow the logs and ship their events (until stopped: Ctrl+C, or the service manager)'))
  .option('--verbose', 'log every step (debug level)')
  .action(async (options: Record<string, unknown>) => {
    // The zone is checked by setting it as the process's own (see zone-offsets.ts): no Intl.
    await runAgent(agentConfigFrom(configOptions(options), process.env, (zone) => void zoneOffsets(zone)), options.verbose === true);
  });

addAgentOptions(program.command('check').description('check the settings, the logs folder, the server, the token and the state folder (for IT after installing)')).action(async (options: Record<string, unknown>) => {
  const config = agentConfigFrom(configOptions(options), process.env);
  const results = await runChecks(config);
  process.stdout.write(`${formatChecks(results)}\n`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
});

program
  .command('service')
  .description('install, remove, start, stop or query the agent as a service (Windows service; systemd on Linux)')
  .addArgument(new Command().createArgument('<action>', SERVICE_ACTIONS.join(', ')).choices(SERVICE_ACTIONS))
  .option('--config <file>', 'the config file the service runs with (default: agent.toml beside attune-agent)')
  .addOption(new Option('--systemd', 'Linux: install the systemd unit rather than print it'))
  .action(async (action: ServiceAction, options: { config?: string; systemd?: boolean }) => {
    const configPath = resolve(options.config ?? besideMe);
    // The service runs with the file alone (not this shell's environment): it must be complete.
    const config = action === 'install' ? resolveAgentSettingsHere({ flags: {}, env: {}, file: readConfigFile(configPath) }) : null;
    const stateDir = config?.stateDir ?? '';
    const plan = process.platform === 'win32' ? windowsServicePlan(action, { launch, configPath, stateDir }) : systemdPlan(action, { launch, configPath }, options.systemd === true);
    process.exitCode = await runServicePlan(plan, localServiceHost);
  });

// No top-level await: the one-file build is CommonJS (what a single executable runs).
void (async () => {
  try {
    loadEnvFile();
    await program.parseAsync(process.argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
})();

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof AgentSettingsError || error instanceof AgentStartError || error instanceof ServiceStepError) {
    process.stderr.write(`attune-agent: ${error.message}\n`);
    return error instanceof AgentSettingsError ? 2 : 1;
  }
  process.stderr.write(`attune-agent: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
