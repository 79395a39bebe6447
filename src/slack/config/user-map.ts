import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SlackConfigError, type SlackConfig } from './slack-config.ts';

/** Slack user ids: `U…` (or `W…` on Enterprise Grid). */
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id such as U0123ABCD');

const userMapSchema = z.record(z.string().min(1), slackUserId);

/**
 * Attune user name → Slack user id. Attune runs on Windows, where user names are not case
 * sensitive, so the lookup is not either.
 */
export class SlackUserMap {
  private readonly byName: ReadonlyMap<string, string>;

  constructor(entries: Record<string, string> = {}) {
    this.byName = new Map(Object.entries(entries).map(([name, id]) => [name.toLowerCase(), id]));
  }

  get size(): number {
    return this.byName.size;
  }

  slackUserOf(attuneUser: string | null): string | null {
    return attuneUser === null ? null : (this.byName.get(attuneUser.toLowerCase()) ?? null);
  }
}

/** Reads `SLACK_USER_MAP`: a JSON object `{"jsmith": "U0123ABCD", …}`. Errors name the file and the entry at fault. */
export function readUserMap(path: string): SlackUserMap {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`SLACK_USER_MAP ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = userMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at "${issue.path.join('.')}"`;
    throw new Error(`SLACK_USER_MAP ${path}: expected {"attune user": "Slack user id", …}${where}: ${issue?.message ?? 'invalid'}`);
  }
  return new SlackUserMap(parsed.data);
}

/** The configured map (empty without SLACK_USER_MAP); a file that cannot be used is a SlackConfigError. */
export function userMapOf(config: Pick<SlackConfig, 'userMapPath'>): SlackUserMap {
  if (config.userMapPath === null) return new SlackUserMap();
  try {
    return readUserMap(config.userMapPath);
  } catch (error) {
    throw new SlackConfigError(error instanceof Error ? error.message : String(error));
  }
}
