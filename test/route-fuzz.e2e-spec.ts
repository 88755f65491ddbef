import fc from 'fast-check';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app-harness';
import {
  deepJson,
  fromSchema,
  headerValue,
  hostileJson,
  hostileText,
  type OpenApiDocument,
  type OpenApiOperation,
  sprinkled,
  urlComponent,
} from './support/openapi-arbitrary';

/** Requests per route: enough to mix every kind of hostile part, few enough to keep the file near 30 s. */
const RUNS_PER_ROUTE = 16;
const ADMIN_KEY = 'ka_fuzz_admin_key';

/** Headers the application reads (credentials, Slack identity and signature, ids, content negotiation). */
const READ_HEADERS = [
  'X-API-Key',
  'X-Internal-Token',
  'X-Slack-User-Id',
  'X-Slack-Signature',
  'X-Slack-Request-Timestamp',
  'X-Request-Id',
  'X-Forwarded-For',
  'Authorization',
  'Accept',
  'Accept-Language',
];

const CREDENTIAL_HEADERS = new Set(['X-API-Key', 'X-Internal-Token', 'X-Slack-Signature', 'Authorization']);

const withoutCredentials = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
];

interface Route {
  method: string;
  /** Express path: `/api/knowledge/:memory_id/feedback`, `/api/files/*path`. */
  path: string;
  operation?: OpenApiOperation;
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType: string; text: string }
  | { kind: 'file'; name: string; bytes: Uint8Array; contentType: string };

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Body;
}

/** Every route Express will dispatch to, minus Nest's catch-all middleware layers, with its OpenAPI operation. */
function routesOf(running: RunningApp, doc: OpenApiDocument): Route[] {
  const stack = (running.app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router.stack;
  const routes: Route[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
    if (methods.length > 5) continue;
    const openApiPath = layer.route.path.replace(/[:*]([A-Za-z_]+)/g, '{$1}');
    for (const method of methods)
      routes.push({ method, path: layer.route.path, operation: doc.paths[openApiPath]?.[method] });
  }
  return routes;
}

/**
 * One request to `route`. Half are "dirty": every string carries a NUL or a lone surrogate, so
 * such text reaches each handler's fields; the others mix any unicode with hostile constants.
 */
function requestFor(doc: OpenApiDocument, route: Route): fc.Arbitrary<FuzzRequest> {
  return fc.boolean().chain((dirty) => {
    const text = dirty ? sprinkled : hostileText;
    const parameters = route.operation?.parameters ?? [];
    const queryNames = parameters.filter((p) => p.in === 'query').map((p) => p.name);
    const path = fc.array(urlComponent(text), { minLength: 4, maxLength: 4 }).map((values) => {
      let index = 0;
      return route.path.replace(/[:*][A-Za-z_]+/g, () => values[index++] || 'x');
    });
    // Mostly documented names, so values reach the query DTOs; sometimes names nobody expects.
    const name =
      queryNames.length > 0
        ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...queryNames) }, { weight: 1, arbitrary: urlComponent() })
        : urlComponent();
    const query = fc
      .array(fc.tuple(name, urlComponent(text)), { maxLength: 4 })
      .map((pairs) => pairs.map(([n, value]) => `${n}=${value}`).join('&'));
    // Mostly the admin key, so requests reach every handler; otherwise random (wrong) credentials.
    const headers = fc
      .tuple(fc.boolean(), fc.boolean(), fc.dictionary(fc.constantFrom(...READ_HEADERS), headerValue, { maxKeys: 4 }))
      .map(([admin, alsoAdmin, random]) =>
        admin || alsoAdmin ? { ...withoutCredentials(random), 'X-API-Key': ADMIN_KEY } : random,
      );
    const content = route.operation?.requestBody?.content ?? {};
    const jsonSchema = content['application/json']?.schema;
    const body: fc.Arbitrary<Body> = fc.oneof(
      { weight: jsonSchema ? 1 : 2, arbitrary: fc.constant<Body>({ kind: 'none' }) },
      {
        weight: jsonSchema ? 6 : 1,
        arbitrary: (jsonSchema ? fromSchema(doc, jsonSchema, text) : hostileJson).map<Body>((value) => ({
          kind: 'json',
          value,
        })),
      },
      { weight: 1, arbitrary: deepJson.map<Body>((value) => ({ kind: 'json', value })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...CONTENT_TYPES),
            fc.oneof(text, fc.constantFrom('{"a":', '[[[', '{"a":1}', 'a=%00&b[c]=1')),
          )
          .map<Body>(([contentType, raw]) => ({ kind: 'raw', contentType, text: raw })),
      },
      ...(content['multipart/form-data']
        ? [
            {
              weight: 4,
              arbitrary: fc
                .tuple(
                  fc.oneof(text, fc.constantFrom('runbook.pdf', 'a.docx', 'b.xlsx', 'notes.txt', '.txt')),
                  fc.uint8Array({ maxLength: 2048 }),
                  fc.constantFrom('application/pdf', 'text/plain', 'application/octet-stream', 'image/png'),
                )
                .map<Body>(([fileName, bytes, contentType]) => ({ kind: 'file', name: fileName, bytes, contentType })),
            },
          ]
        : []),
    );
    return fc.record({ path, query, headers, body }).map(({ path: p, query: q, headers: h, body: b }) => ({
      method: route.method,
      path: q ? `${p}?${q}` : p,
      headers: h,
      body: b,
    }));
  });
}

async function send(url: string, fuzz: FuzzRequest): Promise<number> {
  const agent = request(url) as unknown as Record<string, (path: string) => request.Test>;
  let test = agent[fuzz.method](fuzz.path).timeout(15_000);
  for (const [name, value] of Object.entries(fuzz.headers)) test = test.set(name, value);
  const { body } = fuzz;
  if (body.kind === 'json') test = test.set('Content-Type', 'application/json').send(JSON.stringify(body.value));
  else if (body.kind === 'raw') test = test.set('Content-Type', body.contentType).send(body.text);
  else if (body.kind === 'file')
    test = test.attach('file', Buffer.from(body.bytes), { filename: body.name, contentType: body.contentType });
  return (await test.ok(() => true)).status;
}

describe('Every route under random unicode and random structure (property-based, e2e)', () => {
  let running: RunningApp;
  let doc: OpenApiDocument;
  let routes: Route[];

  beforeAll(async () => {
    running = await startApp({
      RATE_LIMIT_RPS: '10000000',
      RATE_LIMIT_BURST: '10000000',
      A2A_API_KEYS: JSON.stringify({ [ADMIN_KEY]: { caller: 'fuzz-admin', roles: ['read', 'write', 'admin'] } }),
      LOG_LEVEL: 'fatal',
    });
    doc = (await request(running.url).get('/api/docs-json').expect(200)).body as OpenApiDocument;
    // An event stream never ends, so a request to it cannot be awaited; test/watch.e2e-spec.ts reads it.
    routes = routesOf(running, doc).filter((route) => route.path !== '/api/incidents/stream');
  });

  afterAll(() => running.close());

  it('enumerates the routes of the running router, the documented ones among them', () => {
    const names = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/review',
        'POST /api/ingest-thread',
        'POST /api/knowledge/:memory_id/feedback',
        'GET /api/knowledge/search',
        'GET /api/audit/flags',
        'POST /api/query',
        'GET /api/files/*path',
        'POST /api/rag/upload',
      ]),
    );
    expect(routes.filter((r) => r.operation).length).toBeGreaterThanOrEqual(30);
  });

  it('never answers 5xx, whatever the path, query, headers and body', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      await fc
        .assert(
          fc.asyncProperty(requestFor(doc, route), async (fuzz) => {
            let outcome: string;
            try {
              const status = await send(running.url, fuzz);
              if (status < 500) return true;
              outcome = `answered ${status}`;
            } catch (error) {
              outcome = `failed: ${(error as Error).message}`;
            }
            failures.push(
              `${fuzz.method.toUpperCase()} ${route.path} ${outcome}: ${JSON.stringify(fuzz).slice(0, 600)}`,
            );
            return false;
          }),
          { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
    await request(running.url).get('/api/health/app').expect(200);
  });
});
