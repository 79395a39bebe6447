import { readFileSync } from 'node:fs';

// Set by the agent's one-file build (esbuild `define`): a bundle, and above all a single
// executable, has no package.json beside it to read.
declare const __ATTUNE_VERSION__: string | undefined;

/**
 * The product's version (agents report it in heartbeats, the server in its API document): baked
 * into the agent's bundle, otherwise from the project's package.json, found from the sources
 * (src/shared/) or from the bundle `npm run build` writes (dist/).
 */
export function productVersion(): string {
  if (typeof __ATTUNE_VERSION__ === 'string') return __ATTUNE_VERSION__;
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'attune-monitor' && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there: try the next place; reported as unknown rather than failing to start.
    }
  }
  return 'unknown';
}
