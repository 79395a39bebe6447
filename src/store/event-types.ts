import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

/**
 * The ids of event types in `event_types` (a row keeps a small integer, not the type's name).
 * Remembered both ways; one made in a transaction that rolls back is forgotten with it
 * (`forgetUncommitted`).
 */
export class EventTypeIds {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly select: Statement;
  private readonly insert: Statement;
  private readonly every: Statement;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare('SELECT type_id FROM event_types WHERE name = ?').pluck();
    this.insert = db.prepare('INSERT INTO event_types (name) VALUES (?)');
    this.every = db.prepare('SELECT type_id, name FROM event_types').raw();
  }

  /** The type's id, made on first use (inside the store's write transaction). */
  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = (this.select.get(name) as number | undefined) ?? Number(this.insert.run(name).lastInsertRowid);
      this.remember(id, name);
    }
    return id;
  }

  /** The name of a stored type id (another process may have made it since: then all are read again). */
  nameOf(id: number): string {
    let name = this.names.get(id);
    if (name === undefined) {
      for (const [typeId, typeName] of this.every.all() as Array<[number, string]>) this.remember(typeId, typeName);
      name = this.names.get(id);
      if (name === undefined) throw new Error(`event type ${id} is not in event_types`);
    }
    return name;
  }

  /** A transaction rolled back: ids it made no longer exist. */
  forgetUncommitted(): void {
    this.ids.clear();
    this.names.clear();
  }

  private remember(id: number, name: string): void {
    this.ids.set(name, id);
    this.names.set(id, name);
  }
}
