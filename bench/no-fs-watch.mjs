// Preloaded into an agent (`node --import`) by bench/live.bench.ts: fs.watch never fires, as on
// Windows, where appends by another process may not raise change notifications. The agent then
// notices new lines by its poll alone.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import module from 'node:module';

fs.watch = () => Object.assign(new EventEmitter(), { close() {}, ref() { return this; }, unref() { return this; } });
module.syncBuiltinESMExports();
