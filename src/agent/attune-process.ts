import { execFile } from 'node:child_process';

// Is the Attune software running? Best effort, only on Windows (where it runs): `tasklist` lists
// image names. The exact executable name varies across Attune versions, so the configured name
// is matched as a case-insensitive part of the image name ("attune" by default).

export type AttuneRunning = boolean | 'unknown';

export const DEFAULT_ATTUNE_PROCESS = 'attune';

/** Whether `tasklist /FO CSV /NH` output lists an image whose name contains `name`. */
export function tasklistHasProcess(csv: string, name: string): boolean {
  const wanted = name.toLowerCase();
  for (const line of csv.split(/\r?\n/)) {
    // Each line: "Image Name","PID","Session Name","Session#","Mem Usage"
    const image = /^"([^"]*)"/.exec(line)?.[1];
    if (image !== undefined && image.toLowerCase().includes(wanted)) return true;
  }
  return false;
}

export function detectAttuneProcess(name: string, platform: NodeJS.Platform = process.platform): Promise<AttuneRunning> {
  if (platform !== 'win32') return Promise.resolve('unknown');
  return new Promise((resolve) => {
    execFile('tasklist', ['/FO', 'CSV', '/NH'], { timeout: 5000, windowsHide: true, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => {
      resolve(error ? 'unknown' : tasklistHasProcess(stdout, name));
    });
  });
}

/**
 * Asks at most every `maxAgeMs`: `tasklist` costs tens of ms of CPU, too much to run with every
 * heartbeat on an idle instrument PC; whether the software runs changes rarely.
 */
export function cachedDetection(detect: () => Promise<AttuneRunning>, maxAgeMs: number, now: () => number): () => Promise<AttuneRunning> {
  let last: { at: number; value: Promise<AttuneRunning> } | null = null;
  return () => {
    if (last === null || now() - last.at >= maxAgeMs) last = { at: now(), value: detect() };
    return last.value;
  };
}
