import { z } from 'zod';
import type { Estimate } from '../estimates/estimate.ts';
import type { ConnectivityView, InstrumentView, LiveAlert } from '../live/instrument-view.ts';
import type { InstrumentStatus } from '../machines/instrument-status.ts';
import { INSTRUMENT_ID_PATTERN } from '../shared/instrument-id.ts';
import type { ProcedureRun, RunFilter } from '../store/procedure-runs-projection.ts';

// The read side of the API as zod schemas: the OpenAPI document is generated from them, and the
// tests hold every answer to them, so the document cannot drift from what the server sends. The
// checks at the end keep them and the TypeScript types of the live contract in step, both ways.

const time = z.iso.datetime({ precision: 3 });
const runSource = z.enum(['logged', 'inferred']);
const runOutcome = z.enum(['completed', 'cancelled', 'failed', 'unconfirmed', 'interrupted']);
const logAlertKind = z.enum(['bubble', 'large_bubble', 'procedure_failed', 'procedure_interrupted']);
const connectivityState = z.enum(['online', 'late', 'offline', 'software_silent', 'agent_error', 'unknown']);
const stepRef = z.strictObject({ function: z.string(), line: z.number().int() });

export const instrumentStatusSchema = z
  .strictObject({
    availability: z.enum(['free', 'busy']),
    activity: z.enum(['software_off', 'idle', 'running', 'acquiring']),
    summary: z.string(),
    since: time.nullable(),
    software: z.strictObject({ running: z.boolean(), since: time.nullable(), logFile: z.string().nullable() }),
    user: z.strictObject({ name: z.string(), since: time }).nullable(),
    run: z
      .strictObject({
        id: z.string(),
        procedure: z.string(),
        source: runSource,
        startedAt: time,
        user: z.string().nullable(),
        well: z.string().nullable(),
        step: z.strictObject({ function: z.string(), line: z.number().int(), since: time }).nullable(),
        steps: z.number().int(),
        waitingForUser: z.strictObject({ action: z.string(), since: time }).nullable(),
        stopRequested: z.boolean(),
        fcsFiles: z.number().int(),
        bubbles: z.number().int(),
        largeBubbles: z.number().int(),
        qc: z.strictObject({ kind: z.enum(['qc_engine', 'baseline']), beadlot: z.string().nullable() }).nullable(),
      })
      .nullable(),
    lastRun: z
      .strictObject({ id: z.string(), procedure: z.string(), startedAt: time, endedAt: time.nullable(), outcome: runOutcome.nullable(), user: z.string().nullable() })
      .nullable(),
    lastProblem: z.strictObject({ kind: logAlertKind, at: time, message: z.string(), resolved: z.boolean() }).nullable(),
    openAlerts: z.array(z.strictObject({ id: z.string(), kind: logAlertKind, raisedAt: time, message: z.string() })),
    instrument: z.strictObject({ serialNumber: z.string().nullable(), model: z.string().nullable() }),
    asOf: time.nullable(),
  });

export const estimateSchema = z
  .union([
    z.strictObject({
      procedure: z.string(),
      startedAt: time,
      step: stepRef.nullable(),
      estimatedEnd: time,
      p10End: time,
      p90End: time,
      basedOnRuns: z.number().int(),
      comparedWith: z.string(),
    }),
    z.strictObject({
      procedure: z.string(),
      startedAt: time,
      step: stepRef.nullable(),
      estimatedEnd: z.null(),
      p10End: z.null(),
      p90End: z.null(),
      basedOnRuns: z.number().int(),
      reason: z.literal('short_history'),
    }),
  ]);

export const connectivityViewSchema = z
  .strictObject({
    state: connectivityState,
    since: time.nullable(),
    reason: z.string().nullable(),
    lastHeartbeatAt: time.nullable(),
    agent: z
      .strictObject({
        version: z.string(),
        hostName: z.string(),
        attuneRunning: z.union([z.boolean(), z.literal('unknown')]),
        logsDirReadable: z.boolean(),
        followedFile: z.string().nullable(),
        bytesBehind: z.number().int(),
        outboxDepth: z.number().int(),
        lastError: z.string().nullable(),
        lastLineAt: time.nullable(),
      })
      .nullable(),
  });

export const instrumentViewSchema = z.strictObject({
  id: z.string(),
  status: instrumentStatusSchema,
  connectivity: connectivityViewSchema,
  estimate: estimateSchema.nullable(),
});

/** An alert as the live stream sends it (raised, resolved, or open in a snapshot). */
export const liveAlertSchema = z.strictObject({
  id: z.string(),
  instrumentId: z.string(),
  kind: z.enum(['bubble', 'large_bubble', 'procedure_failed', 'procedure_interrupted', 'agent_offline', 'software_silent', 'agent_error']),
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  message: z.string(),
  procedure: z.string().nullable(),
  well: z.string().nullable(),
  user: z.string().nullable(),
});

/** An instrument in the API: its live view, with the time of the last heartbeat at the top (`last_heartbeat_at`). */
export const apiInstrumentSchema = instrumentViewSchema
  .extend({ last_heartbeat_at: time.nullable() });

export const instrumentsResponseSchema = z.strictObject({ instruments: z.array(apiInstrumentSchema) });

export const procedureRunSchema = z
  .strictObject({
    runId: z.string(),
    instrumentId: z.string(),
    procedure: z.string(),
    source: runSource,
    startedAt: time,
    endedAt: time.nullable(),
    durationS: z.number().nullable(),
    outcome: runOutcome.nullable(),
    outcomeCode: z.string().nullable(),
    user: z.string().nullable(),
    well: z.string().nullable(),
    logFile: z.string(),
    steps: z.number().int(),
    fcsFiles: z.number().int(),
  });

export const runsResponseSchema = z.strictObject({ runs: z.array(procedureRunSchema) });

const isoTime = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());
const name = z.string().min(1).max(200);

/** The one query of runs, for the API and the pages: every field narrows, all optional. */
export const runsQuerySchema = z.strictObject({
  instrument: z.string().regex(INSTRUMENT_ID_PATTERN, 'not an instrument id').optional(),
  procedure: name.optional(),
  user: name.optional(),
  outcome: z.enum([...runOutcome.options, 'open']).optional(),
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((text) => new Date(text).toISOString())
    .optional()
    .describe('only runs started at or after this time (ISO-8601 with a zone, or a UTC date)'),
  from: isoTime.optional().describe('only runs going at some moment in [from, to): not ended before from'),
  to: isoTime.optional().describe('only runs started before this time'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('at most this many runs (1-1000, default 100)'),
  offset: z.coerce.number().int().min(0).default(0).describe('skip this many runs first'),
});

export type RunsQuery = z.infer<typeof runsQuerySchema>;

/** The store's filter for a runs query (the instrument named by the path, when there is one). */
export function runFilterOf(query: RunsQuery, instrumentId = query.instrument): RunFilter {
  const { procedure, user, outcome, since, from, to, limit, offset } = query;
  return { instrumentId, procedure, user, outcome, since, from, to, limit, offset };
}

export const healthResponseSchema = z.strictObject({ ok: z.literal(true), server_time: time, started_at: time });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time: each schema's output is exactly the type the server builds.
export const schemasMatchTypes: [
  Same<z.infer<typeof instrumentStatusSchema>, InstrumentStatus>,
  Same<z.infer<typeof estimateSchema>, Estimate>,
  Same<z.infer<typeof connectivityViewSchema>, ConnectivityView>,
  Same<z.infer<typeof instrumentViewSchema>, InstrumentView>,
  Same<z.infer<typeof procedureRunSchema>, ProcedureRun>,
  Same<z.infer<typeof liveAlertSchema>, LiveAlert>,
] = [true, true, true, true, true, true];
