import fc from 'fast-check';
import { type OpenApiDocument, resolve, type Schema } from './schema-tools';

/**
 * Free text is drawn from letters, digits and spaces: markup and control characters are refused
 * by rules a JSON Schema cannot state (the description says so), and they are the edge fuzz
 * test's business, not the contract's.
 */
const PLAIN = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '];
/** Generated values stay small: limits such as CHAT_MAX_MESSAGE_CHARS are configuration, not schema. */
const MAX_GENERATED_CHARS = 24;
const MAX_GENERATED_ITEMS = 2;

export class UnsupportedSchemaError extends Error {}

/** A fast-check arbitrary of values valid against `schema` (the subset of JSON Schema our DTOs use). */
export function arbitraryOf(doc: OpenApiDocument, raw: Schema | undefined, where: string): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const valid = (arbitrary: fc.Arbitrary<unknown>) =>
    schema.nullable ? fc.option(arbitrary, { nil: null }) : arbitrary;
  if (Array.isArray(schema.enum)) return valid(fc.constantFrom(...(schema.enum as unknown[])));
  switch (schema.type) {
    case 'string':
      return valid(stringOf(schema));
    case 'integer':
      return valid(fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 }));
    case 'number':
      return valid(
        fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true }),
      );
    case 'boolean':
      return valid(fc.boolean());
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS));
      return valid(fc.array(arbitraryOf(doc, schema.items as Schema, `${where}[]`), { minLength, maxLength }));
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      if (Object.keys(properties).length === 0)
        throw new UnsupportedSchemaError(`${where}: an object without properties`);
      const model = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, arbitraryOf(doc, property, `${where}.${name}`)]),
      );
      return valid(fc.record(model, { requiredKeys: (schema.required ?? []) as string[] }));
    }
    default:
      throw new UnsupportedSchemaError(`${where}: no type in ${JSON.stringify(raw)}`);
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? MAX_GENERATED_CHARS, Math.max(minLength, MAX_GENERATED_CHARS));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    case 'byte':
      return fc.base64String({ minLength: Math.max(4, minLength), maxLength: Math.max(4, Math.min(maxLength, 64)) });
    case 'binary':
      return fc.constant('binary');
  }
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const anchored = schema.pattern.startsWith('^') && schema.pattern.endsWith('$');
    const source = anchored ? fc.stringMatching(pattern) : plain(minLength, maxLength);
    return source.filter((s) => fits(s) && pattern.test(s) && !/[<>&%\\\p{Cc}]/u.test(s));
  }
  return plain(minLength, maxLength);
}

const plain = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...PLAIN), minLength, maxLength });
