import { chunkText, normalizeText } from './chunker';

describe('chunkText', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it('keeps a short text whole', () => {
    expect([...chunkText('  Hello\r\n\r\n\r\n world  ', { size: 100, overlap: 10 })]).toEqual(['Hello\n\nworld']);
  });

  it('yields nothing for blank text', () => {
    expect([...chunkText(' \n\t ', { size: 100, overlap: 10 })]).toEqual([]);
  });

  it('bounds every chunk, overlaps neighbours and loses no word', () => {
    const text = words(2000);
    const chunks = [...chunkText(text, { size: 300, overlap: 60 })];
    expect(chunks.length).toBeGreaterThan(40);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(300);
    for (let i = 1; i < chunks.length; i++) {
      const firstWord = chunks[i].split(' ')[0];
      expect(chunks[i - 1]).toContain(firstWord);
    }
    const seen = new Set(chunks.flatMap((c) => c.split(/\s+/)));
    for (let i = 0; i < 2000; i++) expect(seen.has(`word${i}`)).toBe(true);
  });

  it('prefers paragraph boundaries', () => {
    const paragraph = `${'a'.repeat(70)}.`;
    const chunks = [...chunkText(`${paragraph}\n\n${paragraph}\n\n${paragraph}`, { size: 100, overlap: 0 })];
    expect(chunks).toEqual([paragraph, paragraph, paragraph]);
  });

  it('cuts text without any break at the size', () => {
    const chunks = [...chunkText('x'.repeat(250), { size: 100, overlap: 20 })];
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 90]);
  });

  it('normalizes whitespace but keeps paragraphs', () => {
    expect(normalizeText('a \t b\n\n\n\nc  \n d')).toBe('a b\n\nc\nd');
  });

  it('strips NUL characters and mends lone surrogates, which PostgreSQL text cannot hold', () => {
    expect(normalizeText('RC\u0000=12 \ud800 job\u0000\u0000 😀')).toBe('RC=12 \ufffd job 😀');
  });

  it('cuts a text without any break in time proportional to its length', () => {
    const line = 'x'.repeat(4 * 1024 * 1024);
    const started = performance.now();
    const chunks = [...chunkText(line, { size: 1000, overlap: 200 })];
    expect(chunks.length).toBe(Math.ceil((line.length - 200) / 800));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
