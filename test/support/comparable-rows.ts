import type { SqliteDatabase } from '../../src/store/database.ts';
import { eventRows, projectionRows } from '../store/store-test-kit.ts';

// What "the same rows as an import" means for a live server's database: its log events, every
// column but global_position and recorded_at (its connectivity changes aside), and the projections
// made from them, positions left out (the connectivity changes move the log events' positions).

export function logEventRows(db: SqliteDatabase): unknown[] {
  return eventRows(db).filter((row) => (row as { type: string }).type !== 'connectivity_changed');
}

export function logProjections(db: SqliteDatabase): Record<string, unknown[]> {
  const { instrument_connectivity: _connectivity, projection_checkpoints: _checkpoints, instrument_state: states, ...rest } = projectionRows(db);
  return { ...rest, instrument_state: states!.map((row) => ({ ...(row as Record<string, unknown>), last_position: null })) };
}
