import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The pages' scripts and style, served by the server itself (no CDN: the dashboard works on a lab
 * network with no internet). The scripts are TypeScript modules under `client/`, bundled by
 * esbuild (installed with the project) the first time they are asked for, then kept in memory.
 */

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
const STYLE_PATH = fileURLToPath(new URL('./static/style.css', import.meta.url));

export const CLIENT_SCRIPTS = ['dashboard', 'statechart', 'slack-preview', 'kiosk'] as const;
export type ClientScript = (typeof CLIENT_SCRIPTS)[number];

export interface Asset {
  body: string;
  contentType: string;
}

export class ClientAssets {
  private scripts: Promise<Map<string, string>> | null = null;
  private style: Promise<string> | null = null;

  /** `name` as in `/assets/<name>`: `dashboard.js`…, or `style.css`; null when there is no such asset. */
  async get(name: string): Promise<Asset | null> {
    if (name === 'style.css') {
      this.style ??= readFile(STYLE_PATH, 'utf8');
      return { body: await this.style, contentType: 'text/css; charset=utf-8' };
    }
    const script = /^([a-z-]+)\.js$/.exec(name)?.[1];
    if (script === undefined || !(CLIENT_SCRIPTS as readonly string[]).includes(script)) return null;
    this.scripts ??= bundle().catch((error: unknown) => {
      this.scripts = null;
      throw error;
    });
    const body = (await this.scripts).get(script);
    return body === undefined ? null : { body, contentType: 'text/javascript; charset=utf-8' };
  }
}

async function bundle(): Promise<Map<string, string>> {
  // Loaded on the first page asked for, not with the server.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: Object.fromEntries(CLIENT_SCRIPTS.map((name) => [name, `${CLIENT_DIR}${name}.ts`])),
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2020',
    outdir: '/assets',
    logLevel: 'silent',
    legalComments: 'none',
  });
  return new Map(result.outputFiles.map((file) => [file.path.replace(/^.*\/([a-z-]+)\.js$/, '$1'), file.text]));
}
