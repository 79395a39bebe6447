import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { localToUtcConverter, type LocalToUtc } from '../events/local-time.ts';
import { StepFolder } from '../machines/step-folding.ts';
import { addCounts, emptyParseStats } from '../parser/log-record.ts';
import type { MonitorEvent } from '../machines/monitor-types.ts';
import type { LogFileRef } from './log-file-set.ts';
import { BatchPacker, forEachInBatch, type PackableObject, type PackedBatch } from './object-batch-codec.ts';
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
  | { kind: 'ready' }
  | { kind: 'events'; batch: PackedBatch }
  | { kind: 'done'; summary: ReadLogFilesSummary }
  | { kind: 'failed'; name: string; message: string; code: string | undefined };

/** The first file the worker reads (the ones before it were read by the calling thread). */
interface StartMessage {
  from: number;
}

export interface FoldLogFilesOptions {
  /** The instrument PC's time zone (an IANA name). */
  timeZone: string;
  /** Whether the newest file has ended too (as in `readLogFiles`). */
  endNewest?: boolean;
  /**
   * Receives each event as a `Monitor` folds them in bulk (consecutive steps and saved files as
   * one), in order, one at a time: each can die young once used.
   */
  onEvent: (event: MonitorEvent) => void;
  /** Stops the worker; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** At most this many files are read on this thread while the worker starts (by default, as many as it takes). */
  filesHere?: number;
}

/**
 * Reads log files into folded machine events with a worker thread: the same events, in the same
 * order, as `readLogFiles` into a `StepFolder` on this thread, delivered in batches. While the
 * worker starts (a new thread takes a tenth of a second to load its modules), this thread reads
 * the first files itself, one per turn of the event loop; the worker then reads the rest, or
 * nothing if none is left (one small file never waits for a thread).
 */
export function foldLogFilesInWorker(files: readonly LogFileRef[], options: FoldLogFilesOptions): Promise<ReadLogFilesSummary> {
  const endNewest = options.endNewest === true;
  const job: FoldJob = { role: ROLE, files: [...files], timeZone: options.timeZone, endNewest };
  const worker = startSelf(job);
  return new Promise<ReadLogFilesSummary>((resolve, reject) => {
    const here: ReadLogFilesSummary = { ...emptyParseStats(), files: 0, events: 0 };
    let readHere = 0;
    let handedOver = false;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    const folder = new StepFolder();
    const folded: MonitorEvent[] = [];
    let toUtc: LocalToUtc | undefined;
    const filesHere = options.filesHere ?? files.length;
    const readNextHere = () => {
      if (settled || handedOver || readHere >= filesHere) return;
      try {
        toUtc ??= localToUtcConverter(options.timeZone);
        const i = readHere++;
        const deliver = () => {
          for (const event of folded) options.onEvent(event);
          folded.length = 0;
        };
        const read = readLogFiles([files[i] as LogFileRef], {
          toUtc,
          endNewest: i < files.length - 1 || endNewest,
          onEvents: (events) => {
            for (const event of events) folder.push(event, folded);
            deliver();
          },
        });
        addCounts(here, read);
        if (readHere === files.length) folder.flush(folded);
        deliver();
        if (readHere === files.length) settle(() => resolve(here));
        else setImmediate(readNextHere);
      } catch (error) {
        settle(() => reject(error));
      }
    };
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        switch (message.kind) {
          case 'ready':
            // Every file this thread read has ended (a file before another gets `log_ended`,
            // which ends any fold): the worker's folder starts where this one stands.
            handedOver = true;
            worker.postMessage({ from: readHere } satisfies StartMessage);
            return;
          case 'events':
            forEachInBatch(message.batch, (object) => options.onEvent(object as unknown as MonitorEvent));
            return;
          case 'done':
            settle(() => resolve(addCounts(here, message.summary)));
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
    if (files.length === 0) settle(() => resolve(here));
    else setImmediate(readNextHere);
  });
}

function startSelf(job: FoldJob): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: job });
  // Run from the TypeScript sources (tsx, tests): the worker registers tsx before loading this file.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}

function isFoldJob(data: unknown): data is FoldJob {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === ROLE;
}

/** The worker's side: say it is ready, then read from the file it is told, fold, post in batches, then the summary. */
function runFoldJob(job: FoldJob, port: NonNullable<typeof parentPort>): void {
  port.once('message', (start: StartMessage) => {
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
      const summary = readLogFiles(job.files.slice(start.from), {
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
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
}

if (!isMainThread && parentPort !== null && isFoldJob(workerData)) runFoldJob(workerData, parentPort);
