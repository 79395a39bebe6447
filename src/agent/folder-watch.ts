import { watch, type FSWatcher } from 'node:fs';

// Change notifications only make the agent quicker: on Windows, appends by another process do not
// reliably raise them, so the poll is what makes reading correct. Any failure here is ignored.

export class FolderWatch {
  private watcher: FSWatcher | null = null;
  private readonly dir: string;
  private readonly onChange: () => void;

  constructor(dir: string, onChange: () => void) {
    this.dir = dir;
    this.onChange = onChange;
  }

  /** Starts watching if not already (the folder may appear later). */
  ensure(): void {
    if (this.watcher !== null) return;
    try {
      this.watcher = watch(this.dir, { persistent: false }, () => this.onChange());
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = null;
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
