import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { AgentSettingsError, type ConfigFile } from './agent-settings.ts';

const WINDOWS_PATH_HINT = "Windows paths go in single quotes, which keep backslashes as they are: logs = 'D:\\AttuneLogs'";

/** Reads the agent's TOML config file; any problem is one line naming the file (and line). */
export function readConfigFile(path: string, readText: (path: string) => string = (file) => readFileSync(file, 'utf8')): ConfigFile {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AgentSettingsError(`${path}: cannot read the config file (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`);
  }
  return { path, values: parseConfigText(path, text) };
}

export function parseConfigText(path: string, text: string): Record<string, unknown> {
  try {
    return parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message carries a code frame over several lines; the first says what is wrong.
    const what = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
    const hint = /escape/.test(what ?? '') ? ` (${WINDOWS_PATH_HINT})` : '';
    throw new AgentSettingsError(`${path} line ${error.line}: ${what}${hint}`);
  }
}
