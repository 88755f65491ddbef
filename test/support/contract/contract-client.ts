import fc from 'fast-check';
import { slackSignature } from '../../../src/auth/authenticator';
import { arbitraryOf } from './schema-arbitrary';
import {
  type OpenApiDocument,
  type Operation,
  type Parameter,
  resolve,
  type Schema,
  SchemaValidator,
} from './schema-tools';

/** Credentials the app under test was booted with, by the header that carries them. */
export interface TestCredentials {
  internalToken: string;
  apiKey: string;
  slackSigningSecret: string;
}

/** One request, before credentials: what the generator or a violation decided. */
export interface RequestPlan {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** JSON value, or the raw text to send (malformed JSON), or a multipart form. */
  body?: { json: unknown } | { text: string; contentType: string } | { form: Record<string, unknown> };
}

export interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
}

const JSON_TYPE = 'application/json';
const MULTIPART = 'multipart/form-data';
let uploadCounter = 0;

/** Sends requests built from the served OpenAPI document and checks each answer against it. */
export class ContractClient {
  readonly validator: SchemaValidator;

  constructor(
    readonly baseUrl: string,
    readonly doc: OpenApiDocument,
    private readonly credentials: TestCredentials,
  ) {
    this.validator = new SchemaValidator(doc);
  }

  /** `count` valid requests for an operation, the same for the same seed. */
  validPlans(method: string, path: string, operation: Operation, count: number, seed: number): RequestPlan[] {
    const parameters = operation.parameters ?? [];
    const params = (where: Parameter['in']) => parameters.filter((p) => p.in === where);
    // A path segment is never empty (an empty one is another route).
    const scalar = (p: Parameter) =>
      arbitraryOf(this.doc, p.schema, `${method} ${path} ${p.in} ${p.name}`)
        .map((v) => String(v))
        .filter((v) => p.in !== 'path' || v.length > 0);
    const optional = (p: Parameter) => (p.required ? scalar(p) : fc.option(scalar(p), { nil: undefined }));
    const group = (where: Parameter['in']) =>
      fc.record(Object.fromEntries(params(where).map((p) => [p.name, optional(p)]))) as fc.Arbitrary<
        Record<string, string | undefined>
      >;
    const media = this.requestMedia(operation);
    const body: fc.Arbitrary<unknown> = media
      ? arbitraryOf(this.doc, media.schema, `${method} ${path} body`)
      : fc.constant(undefined);
    const arbitrary = fc.record({ path: group('path'), query: group('query'), header: group('header'), body });
    return fc.sample(arbitrary, { numRuns: count, seed }).map((sample) => ({
      method,
      path,
      pathParams: defined(sample.path),
      query: defined(sample.query),
      headers: defined(sample.header),
      ...(media && {
        body: media.type === MULTIPART ? { form: sample.body as Record<string, unknown> } : { json: sample.body },
      }),
    }));
  }

  /** The request body's media type and schema (JSON preferred). */
  requestMedia(operation: Operation): { type: string; schema: Schema } | undefined {
    const content = operation.requestBody?.content;
    if (!content) return undefined;
    const type = content[JSON_TYPE] ? JSON_TYPE : Object.keys(content)[0];
    return { type, schema: content[type].schema ?? {} };
  }

  /**
   * Sends a plan with the credentials of the `pick`-th security requirement of the operation
   * (`undefined`: none at all).
   */
  async send(plan: RequestPlan, operation: Operation | undefined, pick: number | undefined): Promise<Answer> {
    let url = plan.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(plan.pathParams[name] ?? 'x'));
    const search = new URLSearchParams(plan.query).toString();
    if (search) url += `?${search}`;
    const headers: Record<string, string> = { ...plan.headers };
    let body: string | FormData | undefined;
    if (plan.body && 'json' in plan.body) {
      body = JSON.stringify(plan.body.json);
      headers['content-type'] = JSON_TYPE;
    } else if (plan.body && 'text' in plan.body) {
      body = plan.body.text;
      headers['content-type'] = plan.body.contentType;
    } else if (plan.body && 'form' in plan.body) {
      body = this.form(plan.body.form);
    }
    if (operation && pick !== undefined) Object.assign(headers, this.credentialHeaders(operation, pick, body));
    const res = await fetch(`${this.baseUrl}${url}`, {
      method: plan.method.toUpperCase(),
      headers,
      body,
      redirect: 'manual',
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: (res.headers.get('content-type') ?? '').split(';')[0].trim(),
      headers: res.headers,
      text,
    };
  }

  /** What is wrong with an answer according to the operation's declared responses. */
  problemsOf(name: string, operation: Operation, answer: Answer, allowServerError = false): string[] {
    const label = `${name} -> ${answer.status}`;
    if (answer.status >= 500 && !allowServerError) return [`${label}: a 5xx (${answer.text.slice(0, 200)})`];
    const declared = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!declared) return [`${label}: status not declared (${answer.text.slice(0, 200)})`];
    if (!declared.content) return [];
    const [family] = answer.contentType.split('/');
    const media = declared.content[answer.contentType] ?? declared.content[`${family}/*`] ?? declared.content['*/*'];
    if (!media)
      return [
        `${label}: content type ${answer.contentType || '(none)'} not declared (${Object.keys(declared.content).join(', ')})`,
      ];
    if (answer.contentType !== JSON_TYPE || !media.schema) return [];
    let value: unknown;
    try {
      value = JSON.parse(answer.text);
    } catch {
      return [`${label}: declared JSON, sent ${answer.text.slice(0, 100)}`];
    }
    return this.validator
      .problems(media.schema, value)
      .map((p) => `${label}: body ${p} in ${answer.text.slice(0, 300)}`);
  }

  private credentialHeaders(operation: Operation, pick: number, body: string | FormData | undefined) {
    const requirements = operation.security ?? [];
    if (requirements.length === 0) return {};
    const requirement = requirements[pick % requirements.length];
    const headers: Record<string, string> = {};
    const timestamp = String(Math.floor(Date.now() / 1000));
    for (const scheme of Object.keys(requirement)) {
      const definition = this.doc.components.securitySchemes?.[scheme] ?? {};
      if (definition.type === 'http' && definition.scheme === 'bearer')
        headers.authorization = `Bearer ${this.credentials.apiKey}`;
      const name = String(definition.name ?? '').toLowerCase();
      if (name === 'x-internal-token') headers[name] = this.credentials.internalToken;
      if (name === 'x-api-key') headers[name] = this.credentials.apiKey;
      if (name === 'x-slack-request-timestamp') headers[name] = timestamp;
      if (name === 'x-slack-signature') {
        const raw = Buffer.from(typeof body === 'string' ? body : '', 'utf8');
        headers[name] = slackSignature(this.credentials.slackSigningSecret, timestamp, raw);
      }
    }
    return headers;
  }

  private form(fields: Record<string, unknown>): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (value === 'binary') {
        uploadCounter++;
        const text = `Contract upload ${uploadCounter} at ${Date.now()}: jobs rerun after ABEND.\n`;
        form.append(name, new Blob([text], { type: 'text/plain' }), `contract-${uploadCounter}.txt`);
      } else if (value !== undefined) form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return form;
  }

  /** Whether the operation's schema for a parameter exists and is a scalar we can generate. */
  parameterSchema(parameter: Parameter): Schema {
    return resolve(this.doc, parameter.schema);
  }
}

const defined = (record: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Record<string, string>;
