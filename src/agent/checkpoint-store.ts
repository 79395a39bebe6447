import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from '../shared/zod-mini.ts';
import { writeFileAtomic } from './durable-fs.ts';
import { fileCheckpointSchema, type FileCheckpoint } from './file-checkpoint.ts';

// All files' checkpoints in one JSON file, replaced atomically: the step "older file ended, newer
// file started" lands in one rename, and a crash leaves the previous complete version.

const CHECKPOINTS_FILE = 'checkpoints.json';

const checkpointsFileSchema = z.strictObject({
  version: z.literal(1),
  instrument_id: z.string(),
  logs_dir: z.string(),
  last_line_at: z.nullable(z.string()),
  files: z.array(fileCheckpointSchema),
});

/** The state folder belongs to another instrument: its outbox would ship that one's events. */
export class StateMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateMismatchError';
  }
}

export interface CheckpointStoreOptions {
  instrumentId: string;
  logsDir: string;
  /** Told when the stored checkpoints were unreadable and set aside. */
  onDamage?: (message: string) => void;
  /** Told when the logs folder differs from the one the checkpoints were taken in. */
  onLogsDirChanged?: (previous: string) => void;
}

export class CheckpointStore {
  private readonly path: string;
  private readonly instrumentId: string;
  private readonly logsDir: string;
  private readonly files = new Map<string, FileCheckpoint>();
  private lastLine: string | null = null;
  private dirty = false;

  private constructor(stateDir: string, options: CheckpointStoreOptions) {
    this.path = join(stateDir, CHECKPOINTS_FILE);
    this.instrumentId = options.instrumentId;
    this.logsDir = options.logsDir;
  }

  static async open(stateDir: string, options: CheckpointStoreOptions): Promise<CheckpointStore> {
    await mkdir(stateDir, { recursive: true });
    const store = new CheckpointStore(stateDir, options);
    await store.load(options);
    return store;
  }

  get(name: string): FileCheckpoint | undefined {
    return this.files.get(name);
  }

  set(checkpoint: FileCheckpoint): void {
    this.files.set(checkpoint.name, checkpoint);
    this.dirty = true;
  }

  /** When the agent last read a new complete line (agent clock, UTC ISO). */
  get lastLineAt(): string | null {
    return this.lastLine;
  }

  set lastLineAt(value: string | null) {
    this.lastLine = value;
    this.dirty = true;
  }

  /** Writes the checkpoints if they changed; on failure they stay pending for the next save. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const content = {
      version: 1 as const,
      instrument_id: this.instrumentId,
      logs_dir: this.logsDir,
      last_line_at: this.lastLine,
      files: [...this.files.values()],
    };
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(content, null, 1)}\n`);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private async load(options: CheckpointStoreOptions): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let parsed: z.infer<typeof checkpointsFileSchema>;
    try {
      parsed = checkpointsFileSchema.parse(JSON.parse(text));
    } catch {
      // Atomic writes make this unlikely (disk damage, a hand edit). Starting over re-sends
      // everything, which the server absorbs; refusing to start would stop the monitoring.
      const aside = `${this.path}.damaged-${Date.now()}`;
      await rename(this.path, aside);
      options.onDamage?.(`checkpoints were unreadable (kept as ${aside}): reading every log again from the start`);
      return;
    }
    if (parsed.instrument_id !== this.instrumentId) {
      throw new StateMismatchError(
        `the state folder holds instrument "${parsed.instrument_id}", not "${this.instrumentId}": give each instrument its own --state-dir`,
      );
    }
    if (parsed.logs_dir !== this.logsDir) options.onLogsDirChanged?.(parsed.logs_dir);
    for (const file of parsed.files) this.files.set(file.name, file);
    this.lastLine = parsed.last_line_at;
  }
}
