import { type OpenApiDocument, resolve, type Schema } from './schema-tools';

/** One way to break exactly one rule of a schema. */
export interface Violation {
  rule: string;
  value: unknown;
}

const PATTERN_BREAKERS = ['', ' ', '!!', '%%', 'a b', '-', '.', '~~~~'];
const NOT_A_UUID = 'not-a-uuid';

/**
 * Values of `schema` that break one declared rule each (type, bounds, length, pattern, enum,
 * format), for a body (`asText` false) or a query/path/header value (everything is text there).
 */
export function scalarViolations(doc: OpenApiDocument, raw: Schema | undefined, asText: boolean): Violation[] {
  const schema = resolve(doc, raw);
  const out: Violation[] = [];
  const text = (value: unknown) => (asText ? String(value) : value);
  if (Array.isArray(schema.enum))
    out.push({ rule: 'enum', value: text(typeof schema.enum[0] === 'number' ? -987654 : 'not-a-listed-value') });
  switch (schema.type) {
    case 'string':
      if (!asText) out.push({ rule: 'type string', value: 12345 });
      if (schema.format === 'uuid') out.push({ rule: 'format uuid', value: NOT_A_UUID });
      if (schema.format === 'byte') out.push({ rule: 'format byte', value: '*not base64*' });
      if (typeof schema.minLength === 'number' && schema.minLength > 0)
        out.push({ rule: 'minLength', value: 'a'.repeat(schema.minLength - 1) });
      if (typeof schema.maxLength === 'number' && schema.maxLength < 100_000)
        out.push({ rule: 'maxLength', value: 'a'.repeat(schema.maxLength + 1) });
      if (typeof schema.pattern === 'string') {
        const pattern = new RegExp(schema.pattern);
        const breaker = PATTERN_BREAKERS.find((candidate) => !pattern.test(candidate));
        if (breaker !== undefined) out.push({ rule: 'pattern', value: breaker });
      }
      break;
    case 'integer':
    case 'number':
      out.push({ rule: `type ${schema.type}`, value: asText ? 'abc' : 'abc' });
      if (schema.type === 'integer') out.push({ rule: 'integer', value: text(1.5) });
      if (typeof schema.minimum === 'number') out.push({ rule: 'minimum', value: text(schema.minimum - 1) });
      if (typeof schema.maximum === 'number') out.push({ rule: 'maximum', value: text(schema.maximum + 1) });
      break;
    case 'boolean':
      if (!asText) out.push({ rule: 'type boolean', value: 'yes please' });
      break;
    case 'array':
      if (!asText) out.push({ rule: 'type array', value: 'not an array' });
      break;
    case 'object':
      if (!asText) out.push({ rule: 'type object', value: 'not an object' });
      break;
  }
  return out;
}

/** Each single-rule break of a JSON value, located by its path (`messages[0].text`). */
export function bodyViolations(
  doc: OpenApiDocument,
  raw: Schema | undefined,
  valid: unknown,
  path = '',
): (Violation & { path: string; body: unknown })[] {
  const schema = resolve(doc, raw);
  const at = (rule: string, value: unknown) => ({ rule, value, path, body: value });
  const out = scalarViolations(doc, schema, false).map((v) => at(v.rule, v.value));
  if (schema.type === 'array' && Array.isArray(valid)) {
    if (typeof schema.minItems === 'number' && schema.minItems > 0) out.push(at('minItems', []));
    if (typeof schema.maxItems === 'number' && schema.maxItems < 1000)
      out.push(
        at(
          'maxItems',
          Array.from({ length: schema.maxItems + 1 }, () => valid[0]),
        ),
      );
    if (valid.length > 0) {
      for (const inner of bodyViolations(doc, schema.items as Schema, valid[0], `${path}[0]`))
        out.push({ ...inner, body: [inner.body, ...valid.slice(1)] });
    }
  }
  if (schema.type === 'object' && valid && typeof valid === 'object' && !Array.isArray(valid)) {
    const object = valid as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) {
      const { [name]: _removed, ...rest } = object;
      out.push({ rule: 'required', value: undefined, path: join(path, name), body: rest });
    }
    if (schema.additionalProperties === false)
      out.push({
        rule: 'additionalProperties',
        value: 1,
        path: join(path, 'unexpected_field'),
        body: { ...object, unexpected_field: 1 },
      });
    for (const [name, property] of Object.entries(properties)) {
      if (!(name in object)) continue;
      for (const inner of bodyViolations(doc, property, object[name], join(path, name)))
        out.push({ ...inner, body: { ...object, [name]: inner.body } });
    }
  }
  return out;
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
