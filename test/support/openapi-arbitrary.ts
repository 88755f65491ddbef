import fc from 'fast-check';

/** The part of an OpenAPI 3 schema the request arbitraries understand; anything else gets random JSON. */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header' }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Strings that broke, or could break, a reader somewhere: NUL, lone surrogates, markup, traversal, huge. */
const HOSTILE_STRINGS = [
  '',
  '\u0000',
  'job\u0000ABEND',
  '\ud800',
  'x\udfff',
  '\ud83d',
  '😀\u0000',
  '\u202eevil',
  '\ufeff',
  '<script>alert(1)</script>',
  "'; DROP TABLE memories;--",
  '../../../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%',
  '%zz',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  'rm -rf /opt/tws/stdlist/*',
  'TWS_PASSWORD=hunter2',
  '\r\n\r\nHTTP/1.1 200 OK',
  'é'.repeat(5000),
  'x'.repeat(70_000),
  '-1',
  '1e309',
  'NaN',
  'null',
  '[]',
  '{}',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Ordinary text with a NUL or a lone surrogate somewhere inside. */
export const sprinkled: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 10 }), fc.oneof(fc.constant('\u0000'), loneSurrogate), fc.string({ maxLength: 10 }))
  .map((parts) => parts.join(''));

/** Random unicode, hostile constants, and NULs or lone surrogates mixed into ordinary text (about one in four). */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: sprinkled },
);

/**
 * JSON nested within MAX_JSON_DEPTH or far past it (thousands of levels overflow a recursive reader),
 * arrays and objects mixed.
 */
export const deepJson: fc.Arbitrary<unknown> = fc
  .tuple(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1000, max: 5000 })), fc.boolean(), hostileText)
  .map(([depth, objects, leaf]) => {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i++) value = objects && i % 2 === 0 ? { a: value } : [value];
    return value;
  });

/** Any JSON value whose strings are hostile. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 5 }),
  ),
})).value;

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    current = doc.components?.schemas?.[current.$ref.replace('#/components/schemas/', '')] ?? {};
  }
  return current;
}

/**
 * Values shaped like `schema` (so they pass the whitelist and reach the handler), with hostile
 * strings, wrong types and missing fields mixed in.
 */
export function fromSchema(
  doc: OpenApiDocument,
  schema: Schema,
  text: fc.Arbitrary<string> = hostileText,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const variants = s.allOf ?? s.oneOf ?? s.anyOf;
  if (variants && variants.length > 0) return fc.oneof(...variants.map((v) => fromSchema(doc, v, text, depth + 1)));
  const wrong = fc.oneof(hostileJson, deepJson);
  let right: fc.Arbitrary<unknown>;
  if (s.enum && s.enum.length > 0) right = fc.oneof(fc.constantFrom(...s.enum), text);
  else if (s.type === 'object' || s.properties) {
    if (depth > 4) return hostileJson;
    const entries = Object.entries(s.properties ?? {});
    const required = new Set(s.required ?? []);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of entries) record[name] = fromSchema(doc, property, text, depth + 1);
    right = fc
      .tuple(
        fc.record(record, { requiredKeys: entries.map(([name]) => name).filter((name) => required.has(name)) }),
        fc.option(fc.dictionary(hostileText, hostileJson, { maxKeys: 2 }), { freq: 5 }),
      )
      .map(([known, extra]) => ({ ...known, ...(extra ?? {}) }));
  } else if (s.type === 'array')
    right = depth > 4 ? fc.constant([]) : fc.array(fromSchema(doc, s.items ?? {}, text, depth + 1), { maxLength: 4 });
  else if (s.type === 'integer') right = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, 1, 5));
  else if (s.type === 'number') right = fc.oneof(fc.double(), fc.integer());
  else if (s.type === 'boolean') right = fc.boolean();
  else if (s.type === 'string') right = s.example !== undefined ? fc.oneof(fc.constant(s.example), text) : text;
  else return hostileJson;
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** UTF-8 percent-encoding of `text` that never throws (a lone surrogate becomes U+FFFD), plus raw hostile escapes. */
export const urlComponent = (text: fc.Arbitrary<string> = hostileText): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: text.map((value) => [...Buffer.from(value, 'utf8')].map(percent).join('')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%00', '%ED%A0%80', '%FF', '%', '%zz', '..%2F..%2Fetc%2Fpasswd', '%2e%2e'),
    },
  );

function percent(byte: number): string {
  const char = String.fromCharCode(byte);
  return /[A-Za-z0-9._~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** What Node's HTTP client lets through in a header value: tab, printable ASCII and latin-1 bytes. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0xfe }).map((code) => String.fromCharCode(code === 0x7f ? 0xff : code)),
    maxLength: 60,
  }),
  fc.constantFrom('', 'Bearer ', 'Bearer x.y.z', 'v0=deadbeef', '999999999999999999999', '-1', 'U0\tX'),
);
