import { plainSlackText } from './dto/ingest-thread.dto';
import { fuseRankings } from './rank-fusion';
import { idf } from './term-weights';
import { chunkThread } from './thread-chunker';
import type { Memory } from './knowledge-graph.port';

const memory = (id: string, extra: Partial<Memory> = {}): Memory => ({
  id,
  kind: 'conversation',
  content: id,
  provenance: {},
  status: 'active',
  createdAt: '',
  updatedAt: '',
  ...extra,
});

describe(chunkThread.name, () => {
  it('keeps consecutive messages together up to the bound and records their provenance', () => {
    const chunks = chunkThread(
      [
        { user: 'U1', text: 'first question', ts: '1.1' },
        { user: 'U2', text: 'an answer', ts: '1.2', images: [{ name: 'log.png', mimeType: 'image/png' }] },
        { user: 'U1', text: 'x'.repeat(30), ts: '1.3' },
        { user: 'U3', text: '   ', ts: '1.4' },
      ],
      70,
    );
    expect(chunks.map((c) => c.text)).toEqual([
      'U1: first question\nU2: an answer [image: log.png (image/png)]',
      `U1: ${'x'.repeat(30)}`,
    ]);
    expect(chunks[0]).toMatchObject({ firstTs: '1.1', lastTs: '1.2', users: ['U1', 'U2'], messageCount: 2 });
  });

  it('splits a message longer than a chunk at whitespace', () => {
    const chunks = chunkThread(
      [{ user: 'U1', text: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '), ts: '1.1' }],
      50,
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.text.length <= 50)).toBe(true);
    expect(chunks.map((c) => c.text).join(' ')).toContain('word39');
  });
});

describe(fuseRankings.name, () => {
  it('puts a memory found by both lists first and honours the limit', () => {
    const a = memory('a');
    const b = memory('b');
    const c = memory('c');
    const fused = fuseRankings(
      [
        [
          { memory: a, relevance: 1 },
          { memory: b, relevance: 1 },
        ],
        [
          { memory: b, relevance: 0.9 },
          { memory: c, relevance: 0.9 },
        ],
      ],
      2,
    );
    expect(fused.map((m) => m.id)).toEqual(['b', 'a']);
  });

  it('lets trust reorder equals but not overturn a much stronger match', () => {
    const strong = memory('strong');
    const weakApproved = memory('weak', { status: 'approved', rating: 5 });
    const fused = fuseRankings(
      [
        [
          { memory: strong, relevance: 1 },
          { memory: weakApproved, relevance: 0.4 },
        ],
      ],
      5,
    );
    expect(fused.map((m) => m.id)).toEqual(['strong', 'weak']);
    const tie = fuseRankings(
      [
        [
          { memory: memory('plain'), relevance: 1 },
          { memory: memory('approved', { status: 'approved' }), relevance: 1 },
        ],
      ],
      5,
    );
    expect(tie.map((m) => m.id)).toEqual(['approved', 'plain']);
  });
});

describe(plainSlackText.name, () => {
  it('turns Slack link syntax into plain text', () => {
    expect(plainSlackText('see <https://x.example/a|the wiki>, ask <@U123> in <#C9|ops> <!here>')).toBe(
      'see the wiki (https://x.example/a), ask @U123 in #ops @here',
    );
  });
});

describe(idf.name, () => {
  it('weighs rare terms more and never weighs a term at zero or below', () => {
    expect(idf(1, 1000)).toBeGreaterThan(idf(100, 1000));
    expect(idf(1000, 1000)).toBeGreaterThan(0);
  });
});
