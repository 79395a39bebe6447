import { z } from 'zod';
import { productVersion } from '../shared/product-version.ts';
import { apiErrorSchema } from '../protocol/api-errors.ts';
import { API_V1, EVENTS_PATH, HEARTBEAT_PATH } from '../protocol/api-paths.ts';
import { eventsRequestSchema, eventsResponseSchema } from '../protocol/events-api.ts';
import { heartbeatRequestSchema, heartbeatResponseSchema } from '../protocol/heartbeat-api.ts';
import {
  apiInstrumentSchema,
  connectivityViewSchema,
  estimateSchema,
  healthResponseSchema,
  instrumentsResponseSchema,
  instrumentStatusSchema,
  procedureRunSchema,
  runsQuerySchema,
  runsResponseSchema,
} from './api-schemas.ts';
import { INSTRUMENTS_PATH } from './instruments-routes.ts';
import { homeBlocksQuerySchema, SLACK_HOME_BLOCKS_PATH } from './slack-home-route.ts';

// The OpenAPI 3.1 document served at /api/v1/openapi.json. Its schemas are generated from the zod
// schemas the server validates requests with (src/protocol) and holds its answers to (api-schemas.ts);
// a test checks that its paths are exactly the app's routes.

export const OPENAPI_PATH = `${API_V1}/openapi.json`;

// The protocol's schemas are zod/mini, the server's own classic zod: both are zod's core types.
const SCHEMAS: Array<[string, z.core.$ZodType, string]> = [
  ['EventsRequest', eventsRequestSchema, 'A batch of log events from an agent, each with the raw line it came from'],
  ['EventsResponse', eventsResponseSchema, 'appended + duplicates = events sent; the highest source position now stored'],
  ['HeartbeatRequest', heartbeatRequestSchema, 'An agent says it is alive and how it is doing'],
  ['HeartbeatResponse', heartbeatResponseSchema, 'The heartbeat is kept'],
  ['Error', apiErrorSchema, 'Every error: a stable code and a message for people'],
  ['Instrument', apiInstrumentSchema, 'InstrumentView (src/live/instrument-view.ts) plus last_heartbeat_at'],
  ['InstrumentStatus', instrumentStatusSchema, "The instrument's state as its log shows it (src/machines/instrument-status.ts)"],
  ['Connectivity', connectivityViewSchema, 'How the server hears from the instrument PC (docs/server.md, "Connectivity")'],
  ['Estimate', estimateSchema, 'The countdown of the open run (docs/estimates.md); no end when history is short'],
  ['InstrumentList', instrumentsResponseSchema, 'Every instrument the server knows of, by id'],
  ['ProcedureRun', procedureRunSchema, 'A row of procedure_runs (docs/store.md); an open run has no end, duration or outcome'],
  ['RunList', runsResponseSchema, 'Runs, newest first'],
  ['Health', healthResponseSchema, 'The server answers and its database is open'],
];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => json('Error', description);

const agentErrors = {
  400: error('Malformed: not JSON, or not a valid request (the message says what)'),
  401: error('Missing, unknown or revoked agent token'),
  403: error("The token is another instrument's"),
  413: error('The body is too large'),
  503: error('The database is busy or full: retry later'),
};

const instrumentId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The instrument id' };

/** A query's parameters from the zod schema the route checks it with (less those a path names). */
function queryParameters(schema: z.ZodObject, omit: readonly string[] = []): object[] {
  return Object.entries(schema.shape)
    .filter(([name]) => !omit.includes(name))
    .map(([name, field]) => {
      const { $schema: _, description, ...json } = z.toJSONSchema(field as z.ZodType, {
        io: 'input',
        unrepresentable: 'any',
        // As in the components: the format says it, without zod's long regex.
        override: ({ jsonSchema }) => {
          if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern;
        },
      }) as Record<string, unknown>;
      return { name, in: 'query', required: false, schema: json, ...(typeof description === 'string' ? { description } : {}) };
    });
}

interface OpenApiDocument extends Record<string, unknown> {
  paths: Record<string, object>;
}

let cached: OpenApiDocument | null = null;

/** The document; without `GET /api/v1/slack/home-blocks` for a server that is given no home blocks to serve. */
export function openApiDocument(served: { slackHomeBlocks: boolean } = { slackHomeBlocks: true }): object {
  cached ??= build();
  if (served.slackHomeBlocks) return cached;
  const { [SLACK_HOME_BLOCKS_PATH]: _, ...paths } = cached.paths;
  return { ...cached, paths };
}

function build(): OpenApiDocument {
  const registry = z.registry<{ id: string; description: string }>();
  for (const [id, schema, description] of SCHEMAS) registry.add(schema, { id, description });
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      // `format: date-time` says it; zod's long regex for the same would bury the document.
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'attune-monitor',
      version: productVersion(),
      description: 'Agents ship Attune NxT log events and heartbeats; people and pages read each instrument\'s live status. See docs/server.md.',
    },
    components: { schemas, securitySchemes: { agentToken: { type: 'http', scheme: 'bearer', description: 'attune-monitor token create --instrument ID' } } },
    paths: {
      [EVENTS_PATH]: {
        post: {
          summary: 'Append a batch of log events (idempotent on each source key)',
          security: [{ agentToken: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('EventsRequest') } } },
          responses: { 200: json('EventsResponse', 'Every event is stored (appended now or before)'), ...agentErrors },
        },
      },
      [HEARTBEAT_PATH]: {
        post: {
          summary: "An agent's heartbeat",
          security: [{ agentToken: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('HeartbeatRequest') } } },
          responses: { 200: json('HeartbeatResponse', 'Kept'), ...agentErrors },
        },
      },
      [INSTRUMENTS_PATH]: {
        get: { summary: 'Every instrument, by id', responses: { 200: json('InstrumentList', 'The instruments') } },
      },
      [`${INSTRUMENTS_PATH}/{id}`]: {
        get: {
          summary: "One instrument's live view",
          parameters: [instrumentId],
          responses: { 200: json('Instrument', 'The instrument'), 404: error('No such instrument') },
        },
      },
      [`${INSTRUMENTS_PATH}/{id}/runs`]: {
        get: {
          summary: "An instrument's procedure runs, newest first",
          parameters: [instrumentId, ...queryParameters(runsQuerySchema, ['instrument'])],
          responses: { 200: json('RunList', 'The runs'), 400: error('A bad query'), 404: error('No such instrument') },
        },
      },
      [SLACK_HOME_BLOCKS_PATH]: {
        get: {
          summary: "Attune's part of a Slack Home tab (Block Kit), for a lab's bot in any language (docs/slack.md)",
          parameters: queryParameters(homeBlocksQuerySchema),
          responses: {
            200: { description: 'The blocks', content: { 'application/json': { schema: { type: 'object', required: ['blocks'], properties: { blocks: { type: 'array', items: { type: 'object' } } } } } } },
            400: error('A bad user id, notify or max_blocks'),
          },
        },
      },
      '/healthz': {
        get: { summary: 'Is the server up?', responses: { 200: json('Health', 'Up, database open'), 503: error('Shutting down') } },
      },
      [OPENAPI_PATH]: {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
    },
  };
}
