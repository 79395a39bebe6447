import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Arrows point down: a plain scan of the source
// tree's imports, static and dynamic, type-only too. Slack and the web are plugins the CLI
// composes on the server; nothing below them may reach into Slack.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every module a file imports, as a path relative to src/ (relative specifiers only: packages are not layers). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => relative(SRC, resolve(dirname(file), specifier)).split(sep).join('/'));
}

function sourceFilesIn(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[cm]?tsx?$/.test(name))
    .map((name) => join(SRC, folder, name));
}

/** `file → module` for each import from `folder` into `forbidden`. */
function arrows(folder: string, forbidden: string): string[] {
  return sourceFilesIn(folder).flatMap((file) =>
    importsOf(file)
      .filter((target) => target === forbidden || target.startsWith(`${forbidden}/`))
      .map((target) => `${relative(SRC, file).split(sep).join('/')} → ${target}`),
  );
}

const NEVER: ReadonlyArray<[from: string, to: string]> = [
  ...['web', 'server', 'store', 'live', 'protocol', 'agent'].map((folder): [string, string] => [folder, 'slack']),
  ['protocol', 'store'],
  ['store', 'live'],
  ['server', 'agent'],
  ['agent', 'store'],
];

describe('the arrows between layers', () => {
  it.each(NEVER)('nothing in src/%s imports from src/%s', (from, to) => {
    expect(sourceFilesIn(from).length).toBeGreaterThan(0);
    expect(arrows(from, to)).toEqual([]);
  });

  it('the scan sees the imports it looks for (the composition root does reach Slack)', () => {
    expect(arrows('cli', 'slack')).toEqual(expect.arrayContaining(['cli/server-command.ts → slack/slack-plugin.ts', 'cli/server-command.ts → slack/home/home-blocks.ts']));
    expect(arrows('server', 'store').length).toBeGreaterThan(0);
  });
});
