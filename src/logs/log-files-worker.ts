import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { localToUtcConverter } from '../events/local-time.ts';
import { StepFolder } from '../machines/step-folding.ts';
import type { MonitorEvent } from '../machines/monitor-types.ts';
import type { LogFileRef } from './log-file-set.ts';
import { BatchPacker, unpackBatch, type PackableObject, type PackedBatch } from './object-batch-codec.ts';
import { readLogFiles, type ReadLogFilesSummary } from './read-log-files.ts';

// Reading, parsing and classifying a busy year of logs costs about as much as running its events
// through the machine. A worker thread does the first while the calling thread does the second:
// this module is both, the worker being this same file started again with its job in workerData
// (so the bundle needs no second entry point).

const ROLE = 'attune-monitor:fold-log-files';
/** Folded events per message: small enough that the machine starts early, large enough that messages stay few. */
const BATCH_EVENTS = 2048;

interface FoldJob {
  role: typeof ROLE;
  files: LogFileRef[];
  timeZone: string;
  endNewest: boolean;
}

type WorkerMessage =
  | { kind: 'events'; batch: PackedBatch }
  | { kind: 'done'; summary: ReadLogFilesSummary }
  | { kind: 'failed'; name: string; message: string; code: string | undefined };

export interface FoldLogFilesOptions {
  /** The instrument PC's time zone (an IANA name). */
  timeZone: string;
  /** Whether the newest file has ended too (as in `readLogFiles`). */
  endNewest?: boolean;
  /** Receives the events as a `Monitor` folds them in bulk (consecutive steps and saved files as one), in order. */
  onEvents: (events: MonitorEvent[]) => void;
  /** Stops the worker; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads log files into folded machine events in a worker thread: the same events, in the same
 * order, as `readLogFiles` into a `StepFolder` on this thread, delivered in batches while the
 * worker reads on.
 */
export function foldLogFilesInWorker(files: readonly LogFileRef[], options: FoldLogFilesOptions): Promise<ReadLogFilesSummary> {
  const job: FoldJob = { role: ROLE, files: [...files], timeZone: options.timeZone, endNewest: options.endNewest === true };
  const worker = startSelf(job);
  return new Promise<ReadLogFilesSummary>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        switch (message.kind) {
          case 'events':
            options.onEvents(unpackBatch(message.batch) as unknown as MonitorEvent[]);
            return;
          case 'done':
            settle(() => resolve(message.summary));
            return;
          case 'failed':
            settle(() => reject(Object.assign(new Error(message.message), { name: message.name, code: message.code })));
            return;
          default: {
            const never: never = message;
            throw new Error(`unknown message ${JSON.stringify(never)}`);
          }
        }
      } catch (error) {
        settle(() => reject(error));
      }
    });
    worker.once('error', (error) => settle(() => reject(error)));
    options.signal?.addEventListener('abort', () => settle(() => reject(options.signal?.reason)), { once: true });
    worker.once('exit', (code) => settle(() => reject(new Error(`the log reading thread stopped (exit code ${code}) before it finished`))));
  });
}

function startSelf(job: FoldJob): Worker {
  const self = import.meta.url;
  // A bigger young generation than the main thread's default: parsing makes short-lived strings
  // and objects by the hundred thousand, and fewer, larger scavenges cost less.
  const resourceLimits = { maxYoungGenerationSizeMb: 48 };
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: job, resourceLimits });
  // Run from the TypeScript sources (tsx, tests): the worker registers tsx before loading this file.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(code, { eval: true, workerData: job, resourceLimits });
}

function isFoldJob(data: unknown): data is FoldJob {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === ROLE;
}

/** The worker's side: read, fold, post in batches, then the summary. */
function runFoldJob(job: FoldJob, port: NonNullable<typeof parentPort>): void {
  try {
    const folder = new StepFolder();
    const folded: MonitorEvent[] = [];
    const packer = new BatchPacker();
    const post = () => {
      for (const event of folded) packer.add(event as unknown as PackableObject);
      folded.length = 0;
      if (packer.count === 0) return;
      const batch = packer.take();
      port.postMessage({ kind: 'events', batch } satisfies WorkerMessage, [batch.slots.buffer]);
    };
    const summary = readLogFiles(job.files, {
      toUtc: localToUtcConverter(job.timeZone),
      endNewest: job.endNewest,
      onEvents: (events) => {
        for (const event of events) folder.push(event, folded);
        if (folded.length >= BATCH_EVENTS) post();
      },
    });
    folder.flush(folded);
    post();
    port.postMessage({ kind: 'done', summary } satisfies WorkerMessage);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const code = (failure as NodeJS.ErrnoException).code;
    port.postMessage({ kind: 'failed', name: failure.name, message: failure.message, code: typeof code === 'string' ? code : undefined } satisfies WorkerMessage);
  }
}

if (!isMainThread && parentPort !== null && isFoldJob(workerData)) runFoldJob(workerData, parentPort);
