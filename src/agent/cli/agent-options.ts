import type { Command } from 'commander';
import type { AgentConfig } from '../agent-config.ts';
import { optionName, resolveAgentSettingsHere, SETTING_KEYS, settingFlag, settingHelp, type SettingKey } from './agent-settings.ts';
import { readConfigFile } from './config-file.ts';

export const CONFIG_ENV = 'ATTUNE_AGENT_CONFIG';

/** The agent's options on a command (`attune-agent run`, `attune-agent check`, `attune-monitor agent`). */
export function addAgentOptions(command: Command): Command {
  command.option('--config <file>', `the agent's TOML config file (or ${CONFIG_ENV}); flags and ATTUNE_AGENT_* variables override its keys`);
  for (const key of SETTING_KEYS) command.option(settingFlag(key), settingHelp(key));
  return command;
}

/** The config file named by --config (or the environment), if any. */
export function configPathFrom(options: Record<string, unknown>, env: Record<string, string | undefined>): string | undefined {
  const given = options.config;
  if (typeof given === 'string') return given;
  const fromEnv = env[CONFIG_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** The agent's configuration from a command's options, the environment and the config file. */
export function agentConfigFrom(options: Record<string, unknown>, env: Record<string, string | undefined>, checkTimeZone?: (zone: string) => void): AgentConfig {
  const configPath = configPathFrom(options, env);
  const flags: Partial<Record<SettingKey, string>> = {};
  for (const key of SETTING_KEYS) {
    const value = options[optionName(key)];
    if (typeof value === 'string') flags[key] = value;
  }
  return resolveAgentSettingsHere({ flags, env, ...(configPath === undefined ? {} : { file: readConfigFile(configPath) }) }, checkTimeZone);
}
