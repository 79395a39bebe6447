import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Bolt } from './bolt.ts';

/**
 * Bolt and its clients log through this into the server's pino logger, so their lines (a rate
 * limit waited out, a socket reconnect) are structured like the rest. Bolt's own INFO lines are
 * chatty ("Now connected to Slack"), so they go out at debug; warnings and errors stay as they are.
 */
export function boltLogger(bolt: Bolt, log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (parts: unknown[]) => parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(' ');
  let level = bolt.LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => child.debug(text(parts)),
    info: (...parts: unknown[]) => child.debug(text(parts)),
    warn: (...parts: unknown[]) => child.warn(text(parts)),
    error: (...parts: unknown[]) => child.error(text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
