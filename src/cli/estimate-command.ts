import type { Command } from 'commander';
import { z } from 'zod';
import { assertTimeZone, systemTimeZone } from '../events/local-time.ts';
import { estimateFromEvents } from '../estimates/estimate-at.ts';
import { estimateJson, type Estimate } from '../estimates/estimate.ts';
import { assertInstrumentId } from '../shared/instrument-id.ts';
import { CliError } from './cli-errors.ts';
import { asCliError, dbOption, withStore } from './store-options.ts';
import { durationText, localTimeText } from './text-table.ts';

interface EstimateOptions {
  db: string;
  instrument: string;
  at: string;
  json?: boolean;
  timezone: string;
}

const isoTime = z.iso.datetime({ offset: true, local: false });

export function registerEstimateCommand(program: Command): void {
  program
    .command('estimate')
    .description('what the countdown would have said at a moment, from the events stored before it')
    .addOption(dbOption())
    .requiredOption('--instrument <id>', 'the instrument')
    .requiredOption('--at <iso-time>', 'the moment, ISO-8601 with a zone (2024-03-05T10:15:00Z)')
    .option('--json', 'print {procedure, started_at, step, estimated_end, p10_end, p90_end, based_on_runs}')
    .option('--timezone <iana>', 'time zone to show times in', systemTimeZone())
    .action((options: EstimateOptions) => {
      const at = parseMoment(options.at);
      try {
        assertTimeZone(options.timezone);
        assertInstrumentId(options.instrument);
      } catch (error) {
        throw asCliError(error);
      }
      const estimate = withStore(options.db, { create: false }, (store) => {
        const events = store.logEvents(options.instrument);
        const first = events.next();
        if (first.done === true) throw new CliError(`no events stored for instrument "${options.instrument}"`);
        return estimateFromEvents(prepend(first.value, events), at);
      });
      process.stdout.write(options.json ? `${JSON.stringify(estimateJson(estimate))}\n` : estimateText(estimate, at, options.timezone));
    });
}

/** The moment as UTC ISO with milliseconds, the form every stored time has. */
function parseMoment(text: string): string {
  if (!isoTime.safeParse(text).success) throw new CliError(`--at: not an ISO-8601 time with a zone: "${text}" (e.g. 2024-03-05T10:15:00Z)`);
  return new Date(text).toISOString();
}

function* prepend<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let next = rest.next(); next.done !== true; next = rest.next()) yield next.value;
}

function estimateText(estimate: Estimate | null, at: string, zone: string): string {
  const when = localTimeText(at, zone);
  if (estimate === null) return `Nothing was running at ${when} (${zone}).\n`;
  const step = estimate.step === null ? 'before its first step' : `at step ${estimate.step.line} (${estimate.step.function})`;
  const head = `${estimate.procedure}, started ${localTimeText(estimate.startedAt, zone)}, ${step} at ${when} (${zone}).`;
  if (estimate.estimatedEnd === null) return `${head}\nNo estimate yet: only ${estimate.basedOnRuns} comparable past run(s).\n`;
  const left = (Date.parse(estimate.estimatedEnd) - Date.parse(at)) / 1000;
  return (
    `${head}\nEstimated end ${localTimeText(estimate.estimatedEnd, zone)}, about ${durationText(Math.max(0, left))} left ` +
    `(10–90%: ${localTimeText(estimate.p10End, zone)} – ${localTimeText(estimate.p90End, zone)}), based on ${estimate.basedOnRuns} past runs (${estimate.comparedWith}).\n`
  );
}
