import type { Command } from 'commander';
import { assertTimeZone, systemTimeZone } from '../events/local-time.ts';
import { assertInstrumentId } from '../shared/instrument-id.ts';
import type { ProcedureRun } from '../store/procedure-runs-projection.ts';
import { asCliError, dbOption, withStore } from './store-options.ts';
import { durationText, localTimeText, textTable } from './text-table.ts';
import { parsePositiveInteger, parseSince } from './time-options.ts';

interface HistoryOptions {
  db: string;
  instrument?: string;
  since?: string;
  limit?: string;
  json?: boolean;
  timezone: string;
}

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description('procedure runs stored, newest first')
    .addOption(dbOption())
    .option('--instrument <id>', 'only this instrument')
    .option('--since <date>', 'only runs started since then: 2020-09-11, 2020-09-11T08:00 (in --timezone) or an ISO time with a zone')
    .option('--limit <n>', 'at most this many runs')
    .option('--json', 'print {"runs": [procedure_runs rows]} with UTC times')
    .option('--timezone <iana>', 'time zone to read --since in and show times in', systemTimeZone())
    .action((options: HistoryOptions) => {
      let filter;
      try {
        assertTimeZone(options.timezone);
        if (options.instrument !== undefined) assertInstrumentId(options.instrument);
        filter = {
          ...(options.instrument !== undefined ? { instrumentId: options.instrument } : {}),
          ...(options.since !== undefined ? { since: parseSince(options.since, options.timezone) } : {}),
          ...(options.limit !== undefined ? { limit: parsePositiveInteger('--limit', options.limit) } : {}),
        };
      } catch (error) {
        throw asCliError(error);
      }
      const runs = withStore(options.db, { create: false }, (store) => store.runs.find(filter));
      process.stdout.write(options.json ? `${JSON.stringify({ runs: runs.map(runJson) }, null, 2)}\n` : historyText(runs, options.timezone));
    });
}

/** A run in `history --json`: the `procedure_runs` row as it is stored (snake_case, like the CLI's other JSON). */
function runJson(run: ProcedureRun): Record<string, unknown> {
  return Object.fromEntries(Object.entries(run).map(([name, value]) => [name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]));
}

function historyText(runs: ProcedureRun[], zone: string): string {
  if (runs.length === 0) return 'No procedure runs.\n';
  const table = textTable(
    ['instrument', 'started', 'ended', 'duration', 'procedure', 'outcome', 'user', 'well', 'steps', 'fcs'],
    runs.map((run) => [
      run.instrumentId,
      localTimeText(run.startedAt, zone),
      run.endedAt === null ? '(running)' : localTimeText(run.endedAt, zone),
      durationText(run.durationS),
      run.source === 'logged' ? run.procedure : `${run.procedure} (${run.source})`,
      run.outcome === 'failed' ? `failed ${run.outcomeCode ?? ''}` : (run.outcome ?? ''),
      run.user ?? '',
      run.well ?? '',
      String(run.steps),
      String(run.fcsFiles),
    ]),
  );
  return `${table}\n(${runs.length} run${runs.length === 1 ? '' : 's'}, newest first, times in ${zone})\n`;
}
