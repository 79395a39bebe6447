import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { assertInstrumentId } from '../shared/instrument-id.ts';
import type { SqliteDatabase } from './database.ts';

// Agent tokens, each bound to one instrument. Only SHA-256 hashes are stored: a token is 256
// random bits, so a plain hash is as good as a slow one (there is nothing to guess), and a copy of
// the database gives no working token.

const TOKEN_PREFIX = 'atm_';

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class TokenStore {
  private readonly all: Statement;
  private readonly upsert: Statement;
  private readonly remove: Statement;
  private readonly exists: Statement;

  constructor(
    db: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.all = db.prepare('SELECT instrument_id, token_sha256 FROM agent_tokens').raw();
    this.upsert = db.prepare(`
      INSERT INTO agent_tokens (instrument_id, token_sha256, created_at) VALUES (?, ?, ?)
      ON CONFLICT (instrument_id) DO UPDATE SET token_sha256 = excluded.token_sha256, created_at = excluded.created_at`);
    this.remove = db.prepare('DELETE FROM agent_tokens WHERE instrument_id = ?');
    this.exists = db.prepare('SELECT 1 FROM agent_tokens WHERE instrument_id = ?').pluck();
  }

  /** A new random token for the instrument, replacing its previous one if any. */
  create(instrumentId: string): { token: string; replaced: boolean } {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return { token, replaced: this.register(instrumentId, token) };
  }

  /** Binds a given token to the instrument (replacing its previous one); true when one was replaced. */
  register(instrumentId: string, token: string): boolean {
    assertInstrumentId(instrumentId);
    const replaced = this.exists.get(instrumentId) !== undefined;
    this.upsert.run(instrumentId, hashToken(token).toString('hex'), this.now().toISOString());
    return replaced;
  }

  /** Revokes the instrument's token; false when it had none. */
  revoke(instrumentId: string): boolean {
    return this.remove.run(instrumentId).changes > 0;
  }

  /**
   * The instrument a token is bound to, or null. Read from the database each time (a token revoked
   * by the CLI while the server runs stops working at once); every stored hash is compared in
   * constant time, so the answer's timing says nothing about how close a guess was.
   */
  instrumentFor(token: string): string | null {
    const presented = hashToken(token);
    let found: string | null = null;
    for (const [instrumentId, hex] of this.all.all() as Array<[string, string]>) {
      const stored = Buffer.from(hex, 'hex');
      if (stored.length === presented.length && timingSafeEqual(stored, presented) && found === null) found = instrumentId;
    }
    return found;
  }
}
