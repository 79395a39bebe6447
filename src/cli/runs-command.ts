import type { Command } from 'commander';
import { assertTimeZone, InvalidTimeZoneError, systemTimeZone } from '../events/local-time.ts';
import { listLogFiles, LogPathError, type LogFileRef } from '../logs/log-file-set.ts';
import { readRunsReport, readRunsReportInWorker } from '../reports/read-runs-report.ts';
import { runsReportJson, type RunsReport } from '../reports/runs-report.ts';
import { CliError } from './cli-errors.ts';
import { durationText, localTimeText, secondsBetween, textTable } from './text-table.ts';

// Built (one bundle), a worker thread starts in about a tenth of a second (this thread reads meanwhile) and takes the reading off the
// machine's thread: ≈ 15 % more CPU (starting it, packing the events) for a shorter wall time, by
// 8 to 25 % measured on two cores already busy (load 3 to 4), by more with a core to spare. From
// the TypeScript sources (tsx) it would load tsx and compile its modules again, which costs more
// than it saves: the logs are read on this thread there.
const BUILT = !import.meta.url.endsWith('.ts');

interface RunsOptions {
  json?: boolean;
  timezone?: string;
}

export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('print the procedure runs, user sessions and alerts in Attune System_*.log files (no database)')
    .argument('<paths...>', 'log files or folders (folders: only System_*.log, in name order)')
    .option('--json', 'print one JSON object {runs, sessions, alerts} with UTC times')
    // Not `systemTimeZone()` as the default: asking Intl costs its start-up (tens of ms), which a
    // given zone lets the command spend while the reading thread starts.
    .option('--timezone <iana>', "the instrument PC's time zone (default: this computer's)")
    .action(async (paths: string[], options: RunsOptions) => {
      const zone = options.timezone ?? systemTimeZone();
      const report = BUILT ? await runsFromPathsInWorker(paths, zone) : runsFromPaths(paths, zone);
      process.stdout.write(options.json ? `${JSON.stringify(runsReportJson(report), null, 2)}\n` : runsReportText(report, zone));
    });
}

export function runsFromPaths(paths: string[], timeZone: string): RunsReport {
  try {
    assertTimeZone(timeZone);
    return readRunsReport(filesToRead(paths), timeZone).report;
  } catch (error) {
    throw cliErrorOf(error);
  }
}

/** The same, the logs read in a worker thread while this one runs the machine (the command's way). */
export async function runsFromPathsInWorker(paths: string[], timeZone: string): Promise<RunsReport> {
  try {
    return (await readRunsReportInWorker(filesToRead(paths), timeZone)).report;
  } catch (error) {
    throw cliErrorOf(error);
  }
}

function filesToRead(paths: string[]): LogFileRef[] {
  const files = listLogFiles(paths);
  if (files.length === 0) throw new CliError(`no System_*.log files in ${paths.join(', ')}`);
  return files;
}

function cliErrorOf(error: unknown): unknown {
  return error instanceof LogPathError || error instanceof InvalidTimeZoneError ? new CliError(error.message) : error;
}

function runsReportText(report: RunsReport, zone: string): string {
  const runs = textTable(
    ['started', 'ended', 'duration', 'procedure', 'outcome', 'user', 'well', 'steps', 'fcs'],
    report.runs.map((run) => [
      localTimeText(run.startedAt, zone),
      run.endedAt === null ? '(running)' : localTimeText(run.endedAt, zone),
      durationText(secondsBetween(run.startedAt, run.endedAt)),
      run.source === 'logged' ? run.procedure : `${run.procedure} (inferred)`,
      run.outcome === 'failed' ? `failed ${run.outcomeCode ?? ''}` : (run.outcome ?? ''),
      run.user ?? '',
      run.well ?? '',
      String(run.steps),
      String(run.fcsFiles),
    ]),
  );
  const sessions = textTable(
    ['user', 'logged in', 'logged out', 'duration', 'end'],
    report.sessions.map((s) => [s.user, localTimeText(s.startedAt, zone), localTimeText(s.endedAt, zone), durationText(secondsBetween(s.startedAt, s.endedAt)), s.endReason ?? '(logged in)']),
  );
  const alerts = textTable(
    ['raised', 'kind', 'message', 'resolved'],
    report.alerts.map((a) => [localTimeText(a.raisedAt, zone), a.kind, a.message, localTimeText(a.resolvedAt, zone)]),
  );
  return `Runs (${report.runs.length}, times in ${zone})\n${runs}\n\nSessions (${report.sessions.length})\n${sessions}\n\nAlerts (${report.alerts.length})\n${alerts}\n`;
}
