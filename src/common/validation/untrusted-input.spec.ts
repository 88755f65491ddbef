import {
  findUnsafeInput,
  jsonNestingExceeds,
  LONE_SURROGATE_PROBLEM,
  MAX_JSON_DEPTH,
  NUL_PROBLEM,
  parseUntrustedJson,
  TOO_DEEP_PROBLEM,
  UnsafeInputError,
} from './untrusted-input';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe(jsonNestingExceeds.name, () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, in text and in UTF-8 bytes`, () => {
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonNestingExceeds(Buffer.from(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(jsonNestingExceeds('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const inString = JSON.stringify({ text: `say \\" ${'['.repeat(500)} "` });
    expect(jsonNestingExceeds(inString)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from(JSON.stringify({ t: 'é[ü{'.repeat(300) })))).toBe(false);
  });

  it('sequential objects are not nesting', () => {
    expect(jsonNestingExceeds(`[${'{"a":[1]},'.repeat(10_000)}{}]`)).toBe(false);
  });

  it('reads a whole megabyte of shallow JSON in well under the time JSON.parse needs for nested input', () => {
    const shallow = Buffer.from(`[${'[1,"a{"],'.repeat(110_000)}0]`);
    const started = process.hrtime.bigint();
    expect(jsonNestingExceeds(shallow)).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
  });
});

describe(findUnsafeInput.name, () => {
  it('names the first field holding a NUL, by its path', () => {
    expect(findUnsafeInput({ thread_ts: '1', messages: [{ text: 'ok' }, { text: 'a\u0000b' }] })).toEqual({
      field: 'messages.1.text',
      problem: NUL_PROBLEM,
    });
  });

  it('finds lone surrogates, high or low, and lets real pairs through', () => {
    expect(findUnsafeInput({ content: 'emoji 😀 ok' })).toBeUndefined();
    expect(findUnsafeInput({ content: 'x\ud800' })).toEqual({ field: 'content', problem: LONE_SURROGATE_PROBLEM });
    expect(findUnsafeInput({ content: '\udc00x' })).toEqual({ field: 'content', problem: LONE_SURROGATE_PROBLEM });
  });

  it('checks keys too, naming a bad key by its escaped form', () => {
    expect(findUnsafeInput({ outer: { 'k\u0000': 1 } })).toEqual({
      field: 'outer.k\\u0000',
      problem: `name ${NUL_PROBLEM}`,
    });
  });

  it('names a bare value by its root (a query parameter)', () => {
    expect(findUnsafeInput({ q: 'a\u0000' })).toEqual({ field: 'q', problem: NUL_PROBLEM });
    expect(findUnsafeInput(['ok', '\u0000'], 'q')).toEqual({ field: 'q.1', problem: NUL_PROBLEM });
  });

  it('refuses nesting deeper than the limit without recursing, even 200,000 levels', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnsafeInput(deep)?.problem).toBe(TOO_DEEP_PROBLEM);
    let limit: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) limit = [limit];
    expect(findUnsafeInput(limit)).toBeUndefined();
  });

  it('leaves numbers, booleans, null and binary buffers alone', () => {
    expect(findUnsafeInput({ a: 1, b: true, c: null, d: Buffer.from([0, 0xd8]) })).toBeUndefined();
  });
});

describe(parseUntrustedJson.name, () => {
  it('parses safe JSON', () => {
    expect(parseUntrustedJson('{"message":"hello"}')).toEqual({ message: 'hello' });
  });

  it('refuses deep nesting before parsing and unsafe strings after, naming the field', () => {
    expect(() => parseUntrustedJson(nested(100_000))).toThrow(UnsafeInputError);
    let error: UnsafeInputError | undefined;
    try {
      parseUntrustedJson('{"message":"a\\u0000b"}');
    } catch (thrown) {
      error = thrown as UnsafeInputError;
    }
    expect(error).toBeInstanceOf(UnsafeInputError);
    expect(error?.field).toBe('message');
    expect(error?.kind).toBe('invalid');
    expect(error?.message).toBe(`Message field message ${NUL_PROBLEM}`);
  });

  it('leaves malformed JSON to the caller as a SyntaxError', () => {
    expect(() => parseUntrustedJson('{"message":')).toThrow(SyntaxError);
  });
});
