import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The settings of a `.env` file merged under the process environment: a variable set in the
 * environment wins over the file (as with dotenv), so a service manager can override a checked-in
 * file. A missing file is no error: the file is optional. Node's own parser (util.parseEnv) reads
 * the format, so no extra dependency is needed for a dozen lines of KEY=value.
 */
export function environmentWithEnvFile(env: NodeJS.ProcessEnv, path: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...env };
    throw new Error(`${path}: cannot read the .env file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return { ...parseEnv(text), ...env };
}

/**
 * Every command reads `.env` from the working folder: its settings are added to process.env where
 * the environment does not set them already. Returns the names it added.
 */
export function loadEnvFile(path = '.env', env: NodeJS.ProcessEnv = process.env): string[] {
  const merged = environmentWithEnvFile(env, path);
  const added = Object.keys(merged).filter((name) => env[name] === undefined);
  for (const name of added) env[name] = merged[name];
  return added;
}
