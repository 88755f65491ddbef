import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile } from './support/agents-file';
import { type Answer, ContractClient, type RequestPlan } from './support/contract/contract-client';
import { UnsupportedSchemaError } from './support/contract/schema-arbitrary';
import { HTTP_METHODS, type OpenApiDocument, type Operation } from './support/contract/schema-tools';
import { bodyViolations, scalarViolations } from './support/contract/violations';
import { type FakeOpenAiServer, startFakeOpenAi } from './support/fake-openai-server';

/**
 * The served OpenAPI description is the contract clients are generated from: every operation is
 * driven with requests generated from it, and every answer must be one it declares. Generic over
 * the document, so an endpoint added later is covered by being described.
 */
const CREDENTIALS = {
  internalToken: 'contract-internal-token-0123456789',
  apiKey: 'ka_contract_admin_key',
  slackSigningSecret: 'contract-slack-signing-secret',
};
const VALID_PER_OPERATION = 4;
const SEED = 1313;
/** Small, so that an over-limit body is cheap to send. */
const BODY_LIMIT_BYTES = 16 * 1024;
const FACT_MODEL = 'facts:latest';

interface Op {
  name: string;
  method: string;
  path: string;
  operation: Operation;
}

describe('OpenAPI contract: /api/docs-json against the server (e2e)', () => {
  let llm: FakeOpenAiServer;
  let running: RunningApp;
  let doc: OpenApiDocument;
  let client: ContractClient;
  let operations: Op[];

  beforeAll(async () => {
    llm = await startFakeOpenAi({ models: ['llama3:latest', FACT_MODEL] });
    llm.scriptFor(FACT_MODEL);
    const agents = await agentsFile();
    running = await startApp({
      LLM_BASE_URL: llm.baseUrl,
      LLM_MAX_RETRIES: '0',
      LLM_TIMEOUT_MS: '5000',
      LLM_FACT_MODEL: FACT_MODEL,
      AGENTS_CONFIG_PATH: agents.path,
      INTERNAL_AUTH_TOKEN: CREDENTIALS.internalToken,
      A2A_API_KEYS: JSON.stringify({
        [CREDENTIALS.apiKey]: { caller: 'contract-admin', roles: ['read', 'write', 'admin'] },
      }),
      SLACK_SIGNING_SECRET: CREDENTIALS.slackSigningSecret,
      RATE_LIMIT_RPS: '1000000',
      RATE_LIMIT_BURST: '1000000',
      BODY_LIMIT: String(BODY_LIMIT_BYTES),
    });
    doc = (await (await fetch(`${running.url}/api/docs-json`)).json()) as OpenApiDocument;
    client = new ContractClient(running.url, doc, CREDENTIALS);
    // An event stream never ends, so it cannot be sent and awaited here; test/watch.e2e-spec.ts reads it.
    const endless = (operation: unknown) =>
      JSON.stringify((operation as { responses?: Record<string, unknown> }).responses?.['200'] ?? {}).includes(
        'text/event-stream',
      );
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => item[method] && !endless(item[method])).map((method) => ({
        name: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operation: item[method],
      })),
    );
  });

  afterAll(async () => {
    await running?.close();
    await llm?.close().catch(() => undefined);
  });

  const send = (op: Op, plan: RequestPlan, pick: number | undefined): Promise<Answer> =>
    client.send(plan, op.operation, pick);

  it('describes each operation with its security once, naming every header the guards read', () => {
    const problems: string[] = [];
    const schemes = doc.components.securitySchemes ?? {};
    const headerNames = Object.values(schemes).map((s) => String(s.name).toLowerCase());
    for (const header of ['x-internal-token', 'x-api-key', 'x-slack-signature', 'x-slack-request-timestamp'])
      if (!headerNames.includes(header)) problems.push(`no security scheme reads ${header}`);
    for (const op of operations) {
      const requirements = (op.operation.security ?? []).map((r) => JSON.stringify(Object.keys(r).sort()));
      if (new Set(requirements).size !== requirements.length) problems.push(`${op.name}: security declared twice`);
      const viaInternalToken = (op.operation.security ?? []).some((r) =>
        Object.keys(r).some((s) => String(schemes[s]?.name).toLowerCase() === 'x-internal-token'),
      );
      const slackUser = (op.operation.parameters ?? []).some(
        (p) => p.in === 'header' && p.name.toLowerCase() === 'x-slack-user-id',
      );
      if (viaInternalToken && !slackUser) problems.push(`${op.name}: X-Slack-User-Id not declared`);
    }
    expect(operations.length).toBeGreaterThanOrEqual(31);
    expect(problems).toEqual([]);
  });

  it('accepts generated valid requests of every operation, answering only what it declares', async () => {
    const problems: string[] = [];
    for (const op of operations) {
      let plans: RequestPlan[];
      try {
        plans = client.validPlans(op.method, op.path, op.operation, VALID_PER_OPERATION, SEED);
      } catch (error) {
        if (!(error instanceof UnsupportedSchemaError)) throw error;
        problems.push(`${op.name}: cannot generate a request: ${error.message}`);
        continue;
      }
      for (const [index, plan] of plans.entries()) {
        const answer = await send(op, plan, index);
        const label = `${op.name} ${JSON.stringify(plan.pathParams)}${JSON.stringify(plan.query)}`;
        if (answer.status === 400 || answer.status === 422)
          problems.push(`${label}: a valid request was refused: ${answer.text.slice(0, 300)}`);
        problems.push(...client.problemsOf(label, op.operation, answer));
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses each single-rule violation with a declared 4xx', async () => {
    const problems: string[] = [];
    const check = async (op: Op, rule: string, plan: RequestPlan, pick: number | undefined) => {
      const answer = await send(op, plan, pick);
      const label = `${op.name} breaking ${rule}`;
      if (answer.status < 400 || answer.status >= 500)
        problems.push(`${label}: answered ${answer.status}, not a 4xx: ${answer.text.slice(0, 200)}`);
      problems.push(...client.problemsOf(label, op.operation, answer));
    };
    for (const op of operations) {
      let valid: RequestPlan;
      try {
        [valid] = client.validPlans(op.method, op.path, op.operation, 1, SEED + 1);
      } catch (error) {
        if (error instanceof UnsupportedSchemaError) continue; // reported by the test above
        throw error;
      }
      const secured = (op.operation.security ?? []).length > 0;
      const adminPick = Math.max(
        0,
        (op.operation.security ?? []).findIndex((r) =>
          Object.keys(r).some((s) => doc.components.securitySchemes?.[s]?.name === 'X-API-Key'),
        ),
      );
      const pick = secured ? adminPick : undefined;
      if (secured && !(op.operation.security ?? []).some((r) => Object.keys(r).length === 0))
        await check(op, 'credentials (none sent)', valid, undefined);
      for (const parameter of op.operation.parameters ?? []) {
        const where = parameter.in === 'path' ? 'pathParams' : parameter.in === 'query' ? 'query' : 'headers';
        if (parameter.in === 'cookie') continue;
        if (parameter.required && parameter.in !== 'path') {
          const { [parameter.name]: _gone, ...rest } = valid[where];
          await check(op, `${parameter.in} ${parameter.name} required`, { ...valid, [where]: rest }, pick);
        }
        for (const violation of scalarViolations(doc, parameter.schema, true)) {
          if (parameter.in === 'path' && violation.value === '') continue; // an empty segment is another route
          const plan = { ...valid, [where]: { ...valid[where], [parameter.name]: String(violation.value) } };
          await check(op, `${parameter.in} ${parameter.name} ${violation.rule}`, plan, pick);
        }
      }
      const media = client.requestMedia(op.operation);
      if (media && valid.body && 'json' in valid.body) {
        await check(
          op,
          'JSON syntax',
          { ...valid, body: { text: '{"not json', contentType: 'application/json' } },
          pick,
        );
        for (const violation of bodyViolations(doc, media.schema, valid.body.json))
          await check(
            op,
            `body ${violation.path || '(root)'} ${violation.rule}`,
            { ...valid, body: { json: violation.body } },
            pick,
          );
      }
      if (media && valid.body && 'form' in valid.body) {
        for (const name of (doc.components.schemas[String(media.schema.$ref).split('/').pop() ?? '']?.required ??
          []) as string[]) {
          const { [name]: _gone, ...rest } = valid.body.form;
          await check(op, `form ${name} required`, { ...valid, body: { form: rest } }, pick);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers a body over BODY_LIMIT with a declared 413 on every operation that reads JSON', async () => {
    const problems: string[] = [];
    const oversized = JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT_BYTES + 1) });
    for (const op of operations.filter((o) => client.requestMedia(o.operation)?.type === 'application/json')) {
      const [valid] = client.validPlans(op.method, op.path, op.operation, 1, SEED + 2);
      const answer = await send(op, { ...valid, body: { text: oversized, contentType: 'application/json' } }, 0);
      if (answer.status !== 413) problems.push(`${op.name}: an oversized body answered ${answer.status}`);
      problems.push(...client.problemsOf(`${op.name} oversized`, op.operation, answer));
    }
    expect(problems).toEqual([]);
  });

  it('answers an undeclared method on a known path with 405 and Allow', async () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      const declared = HTTP_METHODS.filter((m) => item[m]);
      const op = operations.find((o) => o.path === path);
      if (!op) continue;
      const [valid] = client.validPlans(op.method, path, op.operation, 1, SEED + 3);
      for (const method of HTTP_METHODS.filter((m) => !item[m])) {
        const answer = await client.send({ ...valid, method, body: undefined, query: {} }, op.operation, 0);
        const allow = (answer.headers.get('allow') ?? '').split(/,\s*/).filter(Boolean);
        if (answer.status !== 405) problems.push(`${method.toUpperCase()} ${path}: ${answer.status}, not 405`);
        else if (!declared.every((m) => allow.includes(m.toUpperCase())))
          problems.push(
            `${method.toUpperCase()} ${path}: Allow "${allow.join(', ')}" misses one of ${declared.join(', ')}`,
          );
        if (answer.contentType !== 'application/json') problems.push(`${method.toUpperCase()} ${path}: not JSON`);
        else {
          const envelope = { $ref: '#/components/schemas/ErrorResponseDto' };
          problems.push(...client.validator.problems(envelope, JSON.parse(answer.text)).map((p) => `${path}: ${p}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers a model failure on POST /api/query with a declared 5xx, `success: false` and the envelope', async () => {
    const op = operations.find((o) => o.name === 'POST /api/query')!;
    const plan: RequestPlan = {
      method: 'post',
      path: '/api/query',
      pathParams: {},
      query: {},
      headers: {},
      body: { json: { question: 'Why did PAYROLL abend?' } },
    };
    llm.scriptFor('llama3:latest', { status: 500, error: 'model crashed' });
    const failed = await send(op, plan, 0);
    await llm.close();
    const unreachable = await send(op, plan, 0);
    for (const [answer, status] of [
      [failed, 502],
      [unreachable, 503],
    ] as const) {
      expect(answer.status).toBe(status);
      expect(client.problemsOf(`POST /api/query (model failure ${status})`, op.operation, answer, true)).toEqual([]);
      expect(JSON.parse(answer.text)).toMatchObject({ success: false, statusCode: status, error: expect.any(String) });
    }
  });
});
