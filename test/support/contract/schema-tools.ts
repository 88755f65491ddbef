import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.0 document the contract test reads. */
export type Schema = Record<string, any>;
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
export interface MediaType {
  schema?: Schema;
}
export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, Schema> };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Follows `$ref` (and a lone `allOf` wrapper) to the schema it names. */
export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let depth = 0; depth < 20; depth++) {
    if (typeof current.$ref === 'string') {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = { ...doc.components.schemas[name], ...omit(current, '$ref') };
      continue;
    }
    if (Array.isArray(current.allOf) && current.allOf.length === 1) {
      current = { ...resolve(doc, current.allOf[0] as Schema), ...omit(current, 'allOf') };
      continue;
    }
    return current;
  }
  throw new Error(`Schema reference loop at ${JSON.stringify(schema)}`);
}

const omit = (object: Schema, key: string): Schema =>
  Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

/** OpenAPI 3.0 `nullable` as JSON Schema (Ajv's own support does not cover `enum` or `$ref`). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const converted = Object.fromEntries(
    Object.entries(node as Schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace(/^#/, 'openapi.json#') : toJsonSchema(value),
    ]),
  );
  if (converted.nullable === true) {
    delete converted.nullable;
    return { anyOf: [converted, { type: 'null' }] };
  }
  return converted;
}

/** Ajv 8 (with formats) over the document's components: one compiled validator per schema. */
export class SchemaValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    addFormats(this.ajv);
    // OpenAPI's `binary` is bytes on the wire, not a string format Ajv can check.
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ components: toJsonSchema(doc.components) }, 'openapi.json');
  }

  /** Problems of `value` against `schema`, empty when it validates. */
  problems(schema: Schema, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.cache.set(key, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
