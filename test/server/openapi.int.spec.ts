import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, openApiDocument } from '../../src/server/openapi-document.ts';
import { startWorld } from './server-test-kit.ts';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

/** Every `$ref` anywhere in the document. */
function refs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refs(item, into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') into.push(inner);
      else refs(inner, into);
    }
  }
  return into;
}

describe('the OpenAPI document', () => {
  it.each([
    ['as the server command composes it', true],
    ['composed without the Slack side\'s home blocks', false],
  ])('describes exactly the routes the app serves, %s', async (_, slackHomeBlocks) => {
    const world = startWorld({ slackHomeBlocks });
    const served = new Set(world.app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`));
    const document = (await (await world.app.request(OPENAPI_PATH)).json()) as Document;
    const described = new Set(Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
    expect([...described].sort()).toEqual([...served].sort());
    expect(described.has('GET /api/v1/slack/home-blocks')).toBe(slackHomeBlocks);
    world.close();
  });

  it('is OpenAPI 3.1 whose references all resolve, with the schemas the server validates with', () => {
    const document = openApiDocument() as Document;
    expect(document.openapi).toBe('3.1.0');
    const missing = refs(document).filter((ref) => !(ref.replace('#/components/schemas/', '') in document.components.schemas));
    expect(missing).toEqual([]);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['EventsRequest', 'HeartbeatRequest', 'Instrument', 'Error', 'ProcedureRun']));
    // The events batch carries the log event union, each kind with its own fields.
    expect(JSON.stringify(document.components.schemas.EventsRequest)).toContain('"const":"procedure_started"');
  });
});
