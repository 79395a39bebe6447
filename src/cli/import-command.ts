import type { Command } from 'commander';
import { localToUtcConverter, systemTimeZone } from '../events/local-time.ts';
import { listLogFiles } from '../logs/log-file-set.ts';
import { assertInstrumentId } from '../shared/instrument-id.ts';
import { importLogFiles, type ImportSummary } from '../store/import-log-files.ts';
import { CliError } from './cli-errors.ts';
import { asCliError, dbOption, withStore } from './store-options.ts';

interface ImportOptions {
  db: string;
  instrument: string;
  timezone: string;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import Attune System_*.log files into the event store; importing the same files again appends nothing')
    .argument('<paths...>', 'log files or folders (folders: only System_*.log, in name order; a file followed by a newer one has ended)')
    .requiredOption('--instrument <id>', 'the instrument the logs come from, e.g. attune-1')
    .addOption(dbOption())
    .option('--timezone <iana>', "the instrument PC's time zone", systemTimeZone())
    .action((paths: string[], options: ImportOptions) => {
      const { files, toUtc } = checkedInput(paths, options);
      const progress = process.stderr.isTTY ? progressPrinter() : undefined;
      const started = performance.now();
      const summary = withStore(options.db, { create: true }, (store) =>
        importLogFiles(store, options.instrument, files, { toUtc, ...(progress ? { onProgress: progress.update } : {}) }),
      );
      progress?.done();
      process.stdout.write(importReport(summary, options, (performance.now() - started) / 1000));
    });
}

// Everything about the input is checked before the database is opened (or created).
function checkedInput(paths: string[], options: ImportOptions) {
  try {
    assertInstrumentId(options.instrument);
    const toUtc = localToUtcConverter(options.timezone);
    const files = listLogFiles(paths);
    if (files.length === 0) throw new CliError(`no System_*.log files in ${paths.join(', ')}`);
    return { files, toUtc };
  } catch (error) {
    throw asCliError(error);
  }
}

function importReport(summary: ImportSummary, options: ImportOptions, seconds: number): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const rows: Array<[string, string]> = [
    ['files', n(summary.files)],
    ['lines', n(summary.lines)],
    ['records', n(summary.records)],
    ['unparsed lines', n(summary.unparsed)],
    ['events appended', n(summary.appended)],
    ['duplicates skipped', n(summary.duplicates)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const rate = seconds > 0 ? ` (${n(Math.round(summary.lines / seconds))} lines/s)` : '';
  return [
    `Imported into ${options.db}, instrument ${options.instrument} (log times read in ${options.timezone}):`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value.padStart(valueWidth)}`),
    `  took ${seconds.toFixed(2)} s${rate}`,
    '',
  ].join('\n');
}

/** A percentage on the terminal's stderr, rewritten in place when it changes. */
function progressPrinter() {
  let shown = -1;
  return {
    update: (bytesRead: number, totalBytes: number) => {
      const percent = totalBytes > 0 ? Math.floor((100 * bytesRead) / totalBytes) : 100;
      if (percent === shown) return;
      shown = percent;
      process.stderr.write(`\rimporting… ${percent}%`);
    },
    done: () => {
      if (shown >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}
