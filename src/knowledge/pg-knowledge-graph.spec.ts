import { sql } from 'kysely';
import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import { type KnowledgeUnderTest, newKnowledgeGraph } from '../../test/support/knowledge-fixtures';
import type { ThreadMessage } from './knowledge-graph.port';
import { PgKnowledgeGraph } from './pg-knowledge-graph';
import { eventually } from '../../test/support/eventually';

const message = (text: string, index: number, user = `U0${index % 3}`): ThreadMessage => ({
  user,
  text,
  ts: `1700000000.${String(index).padStart(6, '0')}`,
  type: 'message',
});

describe.each(databaseTargets())(`${PgKnowledgeGraph.name} on $name`, (target) => {
  let opened: OpenedDatabase;
  let kg: KnowledgeUnderTest;

  beforeAll(async () => {
    opened = await target.open();
    kg = newKnowledgeGraph(opened.database);
  });

  afterAll(() => opened.dispose());

  const countRows = async (where: string): Promise<number> => {
    const result = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM knowledge_memories WHERE ${sql.raw(where)}`.execute(opened.database.db());
    return Number(result.rows[0].n);
  };

  describe('conversations', () => {
    it('stores a conversation once and finds it by the problem words', async () => {
      const before = await kg.counter('saves');
      const id = await kg.sut.addConversation(
        'Job PAYROLL_CLOSE abended with RC 12',
        'The input file was missing; rerun after restoring it',
        'tws-troubleshooter',
      );
      const again = await kg.sut.addConversation(
        'Job PAYROLL_CLOSE abended with RC 12',
        'The input file was missing; rerun after restoring it',
        'tws-troubleshooter',
      );
      expect(again).toBe(id);
      expect(await kg.counter('saves')).toBe(before + 1);

      const [hit] = await kg.sut.searchSimilarIssues('why did PAYROLL_CLOSE abend?');
      expect(hit).toMatchObject({
        id,
        kind: 'conversation',
        agentId: 'tws-troubleshooter',
        userQuery: 'Job PAYROLL_CLOSE abended with RC 12',
      });
      expect(hit.score).toBeGreaterThan(0);
    });

    it('stores the same conversation once even when it is saved concurrently', async () => {
      const before = await kg.counter('saves');
      const ids = await Promise.all(
        Array.from({ length: 6 }, () =>
          kg.sut.addConversation('Job RHO_EXTRACT  abended with RC 4', 'Reran it after the lock was released', 'a'),
        ),
      );
      expect(new Set(ids).size).toBe(1);
      expect(await kg.counter('saves')).toBe(before + 1);
      expect(await countRows(`content LIKE '%RHO_EXTRACT%'`)).toBe(1);
    });

    it('returns nothing for an unrelated question, however small the store', async () => {
      await kg.sut.addConversation(
        'Workstation FTA_LONDON unlinked overnight',
        'Restarted netman and relinked it',
        'tws-specialist',
      );
      expect(await kg.sut.searchSimilarIssues('quarterly marketing budget spreadsheet')).toEqual([]);
      expect(await kg.sut.searchSimilarIssues('   ')).toEqual([]);
    });

    it('keeps the provenance given in the context', async () => {
      const id = await kg.sut.addConversation('Who owns the ORDERS stream?', 'Team Atlas', 'tws-specialist', {
        channel_id: 'C0OPS',
        slackUserId: 'U0ALICE',
        callerId: 'slack-bridge',
      });
      expect((await kg.sut.getMemory(id))?.provenance).toEqual({
        channelId: 'C0OPS',
        slackUserId: 'U0ALICE',
        callerId: 'slack-bridge',
      });
    });
  });

  describe('review status and feedback', () => {
    it('never returns a rejected memory, even when its content is saved again', async () => {
      const id = await kg.sut.addConversation(
        'Rejected advice about MAILBOX_FULL',
        'Delete the mailbox file (wrong)',
        'tws-specialist',
      );
      await kg.sut.setStatus(id, 'rejected');
      expect(
        await kg.sut.addConversation(
          'Rejected advice about MAILBOX_FULL',
          'Delete the mailbox file (wrong)',
          'tws-specialist',
        ),
      ).toBe(id);
      expect(await kg.sut.searchSimilarIssues('MAILBOX_FULL mailbox advice')).toEqual([]);
      expect((await kg.sut.getMemory(id))?.status).toBe('rejected');
    });

    it('ranks approved and highly rated memories above equally relevant ones', async () => {
      await kg.sut.addConversation('SPOOLER queue stalled on CPUZ', 'Cleared the spool directory', 'a');
      await kg.sut.addConversation(
        'SPOOLER queue stalled on CPUZ again',
        'Cleared the spool directory and restarted',
        'a',
      );
      await kg.sut.addConversation(
        'SPOOLER queue stalled on CPUZ once more',
        'Cleared the spool directory, restarted, watched',
        'a',
      );
      const ids = async () => (await kg.sut.searchSimilarIssues('SPOOLER queue stalled CPUZ', 3)).map((m) => m.id);
      const [first, second, third] = await ids();
      await kg.sut.setStatus(third, 'approved');
      expect(await ids()).toEqual([third, first, second]);
      await kg.sut.addSolutionFeedback(second, 'worked first time', 5);
      expect(await ids()).toEqual([second, third, first]);
      await kg.sut.addSolutionFeedback(third, 'did not help', 1);
      expect(await ids()).toEqual([second, first, third]);
    });

    it('takes the facts extracted from a conversation out of retrieval when it is rejected, and deletes them with it', async () => {
      const withFacts = newKnowledgeGraph(
        opened.database,
        {},
        {
          extractFacts: async (text) =>
            text.includes('QUEUE_PURGE')
              ? ['QUEUE_PURGE empties the MQ input queue of the LEDGER stream']
              : ['VAULT_SYNC runs after LEDGER_POST'],
        },
      );
      const factRows = (word: string) => countRows(`kind = 'fact' AND content LIKE '${word}%'`);

      const wrong = await withFacts.sut.addConversation(
        'How do I unblock LEDGER?',
        'Run QUEUE_PURGE on the MQ queue',
        'tws-specialist',
      );
      await eventually(
        async () => ((await factRows('QUEUE_PURGE')) === 1 ? true : undefined),
        5_000,
        'the fact being stored',
      );
      expect((await withFacts.sut.searchSimilarIssues('what does QUEUE_PURGE empty'))[0]).toMatchObject({
        kind: 'fact',
      });
      await withFacts.sut.setStatus(wrong, 'rejected');
      expect(await withFacts.sut.searchSimilarIssues('what does QUEUE_PURGE empty')).toEqual([]);

      const other = await withFacts.sut.addConversation(
        'When does VAULT_SYNC run?',
        'After LEDGER_POST',
        'tws-specialist',
      );
      await eventually(
        async () => ((await factRows('VAULT_SYNC')) === 1 ? true : undefined),
        5_000,
        'the fact being stored',
      );
      expect(await withFacts.sut.delete(other)).toBe(true);
      expect(await factRows('VAULT_SYNC')).toBe(0);
    });

    it('stores feedback and refuses a rating outside 1..5 or an unknown memory', async () => {
      const id = await kg.sut.addConversation('FINAL stream late', 'Released the dependency manually', 'a');
      await kg.sut.addSolutionFeedback(id, 'good', 4);
      expect(await kg.sut.getMemory(id)).toMatchObject({ feedback: 'good', rating: 4 });
      await expect(kg.sut.addSolutionFeedback(id, 'x', 6)).rejects.toMatchObject({ code: 'INVALID_RATING' });
      await expect(kg.sut.addSolutionFeedback(id, 'x', 2.5)).rejects.toMatchObject({ code: 'INVALID_RATING' });
      await expect(kg.sut.addSolutionFeedback('7d0e5f3c-1111-4222-8333-944455556666', 'x', 3)).rejects.toMatchObject({
        code: 'MEMORY_NOT_FOUND',
      });
      await expect(kg.sut.setStatus('mem_123', 'approved')).rejects.toMatchObject({
        code: 'MEMORY_NOT_FOUND',
        kind: 'not_found',
      });
      expect(await kg.sut.getMemory('mem_123')).toBeUndefined();
      expect(await kg.sut.getMemory(id)).toMatchObject({ rating: 4 });
    });

    it('deletes a memory', async () => {
      const id = await kg.sut.addConversation('Temporary note ZETA_42', 'to delete', 'a');
      expect(await kg.sut.delete(id)).toBe(true);
      expect(await kg.sut.delete(id)).toBe(false);
      expect(await kg.sut.getMemory(id)).toBeUndefined();
    });
  });

  describe('threads', () => {
    const thread = [
      message('The BACKUP_NIGHTLY job is stuck in HOLD since 02:00', 1),
      message('It follows ORDERS_LOAD which abended', 2),
      message('Rerun ORDERS_LOAD with the corrected parameter file, then BACKUP_NIGHTLY is released', 3),
    ];

    it('stores a thread as chunks with its provenance', async () => {
      const saved = await kg.sut.addThread('C0THREAD', '1700000000.000001', thread, { callerId: 'slack-bridge' });
      expect(saved).toBe(1);
      const [hit] = await kg.sut.searchSimilarIssues('BACKUP_NIGHTLY stuck in hold');
      expect(hit).toMatchObject({
        kind: 'thread',
        provenance: { channelId: 'C0THREAD', threadTs: '1700000000.000001', chunkIndex: 0, callerId: 'slack-bridge' },
      });
      expect(hit.content).toContain('U01: The BACKUP_NIGHTLY job');
    });

    it('re-ingesting a thread replaces its memories instead of adding copies', async () => {
      await kg.sut.addThread('C0REPLACE', '1700000000.000002', thread);
      await kg.sut.addThread('C0REPLACE', '1700000000.000002', thread);
      expect(await countRows(`channel_id = 'C0REPLACE'`)).toBe(1);
      const edited = [...thread, message('Root cause: the parameter file was renamed by a deployment', 4)];
      expect(await kg.sut.addThread('C0REPLACE', '1700000000.000002', edited)).toBe(1);
      expect(await countRows(`channel_id = 'C0REPLACE'`)).toBe(1);
      expect(await countRows(`channel_id = 'C0REPLACE' AND content LIKE '%renamed by a deployment%'`)).toBe(1);
    });

    it('concurrent ingests of the same thread leave exactly one copy', async () => {
      const long = Array.from({ length: 40 }, (_, i) =>
        message(`Step ${i}: checked workstation CPU${i} link status and the netman log for errors`, i),
      );
      const results = await Promise.all(
        Array.from({ length: 6 }, () => kg.sut.addThread('C0RACE', '1700000000.000003', long)),
      );
      const expected = results[0];
      expect(expected).toBeGreaterThan(1);
      expect(results.every((n) => n === expected)).toBe(true);
      expect(await countRows(`channel_id = 'C0RACE'`)).toBe(expected);
    });

    it('concurrent ingests of different versions of a thread leave exactly one whole version', async () => {
      const small = newKnowledgeGraph(opened.database, { KNOWLEDGE_CHUNK_CHARS: '200' });
      const version = (n: number) =>
        Array.from({ length: 8 }, (_, i) =>
          message(`RACEVERSION step ${i} of version ${n}: checked the netman log on CPU${i} ${'again '.repeat(12)}`, i),
        );
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) => small.sut.addThread('C0RACEV', '1700000000.000013', version(n))),
      );
      expect(results).toEqual(Array(6).fill(8));
      const rows = await sql<{ content: string; chunk_index: number }>`
        SELECT content, chunk_index FROM knowledge_memories WHERE channel_id = 'C0RACEV' ORDER BY chunk_index`.execute(
        opened.database.db(),
      );
      expect(rows.rows.map((r) => r.chunk_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(rows.rows.map((r) => /of version (\d)/.exec(r.content)?.[1])).size).toBe(1);
    });

    it('keeps the id and review of unchanged chunks when a thread is ingested again: a rejected chunk stays out', async () => {
      const small = newKnowledgeGraph(opened.database, { KNOWLEDGE_CHUNK_CHARS: '200' });
      const reviewed = [
        message(`TAUJOB stayed in HOLD: its predecessor TAUPRE never completed ${'because '.repeat(15)}`, 1),
        message(`TAUJOB bad advice: delete the plan and run JnextPlan again ${'quickly '.repeat(15)}`, 2),
      ];
      expect(await small.sut.addThread('C0REVIEW', '1700000000.000014', reviewed)).toBe(2);
      const [good, bad] = (
        await sql<{
          id: string;
        }>`SELECT id FROM knowledge_memories WHERE channel_id = 'C0REVIEW' ORDER BY chunk_index`.execute(
          opened.database.db(),
        )
      ).rows.map((r) => r.id);
      await small.sut.setStatus(bad, 'rejected');
      await small.sut.setStatus(good, 'approved');
      await small.sut.addSolutionFeedback(good, 'right cause', 5);
      const saves = await small.counter('saves');

      const grown = [
        message('TAUJOB first seen at 02:10', 0),
        ...reviewed,
        message('TAUJOB released after TAUPRE was rerun', 3),
      ];
      // Four chunks now: the two new messages each make one, the reviewed two are unchanged.
      expect(await small.sut.addThread('C0REVIEW', '1700000000.000014', grown)).toBe(4);
      expect(await small.counter('saves')).toBe(saves + 2);
      expect(await small.sut.getMemory(good)).toMatchObject({ status: 'approved', rating: 5, feedback: 'right cause' });
      expect(await small.sut.getMemory(bad)).toMatchObject({ status: 'rejected' });
      const found = (await small.sut.searchSimilarIssues('TAUJOB plan JnextPlan advice', 10)).map((m) => m.id);
      expect(found).not.toContain(bad);
      expect(await countRows(`channel_id = 'C0REVIEW'`)).toBe(4);
      expect(await countRows(`channel_id = 'C0REVIEW' AND id = '${good}' AND chunk_index = 1`)).toBe(1);
    });

    it('groups consecutive messages into chunks no longer than KNOWLEDGE_CHUNK_CHARS', async () => {
      const small = newKnowledgeGraph(opened.database, { KNOWLEDGE_CHUNK_CHARS: '200' });
      const long = Array.from({ length: 12 }, (_, i) =>
        message(`Message ${i} about the CHUNKTEST plan: ${'x'.repeat(40)}`, i),
      );
      const saved = await small.sut.addThread('C0CHUNK', '1700000000.000004', long);
      const rows = await sql<{ content: string; chunk_index: number }>`
        SELECT content, chunk_index FROM knowledge_memories WHERE channel_id = 'C0CHUNK' ORDER BY chunk_index`.execute(
        opened.database.db(),
      );
      expect(rows.rows).toHaveLength(saved);
      expect(saved).toBeGreaterThan(3);
      expect(rows.rows.every((r) => r.content.length <= 200)).toBe(true);
      expect(rows.rows.map((r) => r.chunk_index)).toEqual(rows.rows.map((_, i) => i));
      expect(rows.rows.map((r) => r.content).join('\n')).toContain('Message 11 about');
    });

    it('enforces the message count, text length and total size bounds, writing nothing', async () => {
      const bounded = newKnowledgeGraph(opened.database, {
        INGEST_MAX_MESSAGES: '3',
        INGEST_MAX_TEXT_CHARS: '50',
        INGEST_MAX_TOTAL_BYTES: '1024',
      });
      const four = [1, 2, 3, 4].map((i) => message('short', i));
      await expect(bounded.sut.addThread('C0BOUND', '1.1', four)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        kind: 'invalid',
      });
      await expect(bounded.sut.addThread('C0BOUND', '1.1', [message('y'.repeat(51), 1)])).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      const heavy = [
        { ...message('with image', 1), images: [{ name: 'a.png', mimeType: 'image/png', data: 'A'.repeat(1100) }] },
      ];
      await expect(bounded.sut.addThread('C0BOUND', '1.1', heavy)).rejects.toMatchObject({
        code: 'INGEST_TOO_LARGE',
        kind: 'too_large',
      });
      expect(
        await bounded.sut.addThread(
          'C0BOUND',
          '1.1',
          [1, 2, 3].map((i) => message('y'.repeat(50), i)),
        ),
      ).toBe(1);
      expect(await countRows(`channel_id = 'C0BOUND'`)).toBe(1);
    });

    it('stores extracted facts once, and the chunks even when extraction fails', async () => {
      const facts = [
        'ORDERS_LOAD reads /data/orders/params.cfg',
        'ORDERS_LOAD reads /data/orders/params.cfg',
        'BACKUP_NIGHTLY follows ORDERS_LOAD',
      ];
      const withFacts = newKnowledgeGraph(opened.database, {}, { extractFacts: async () => facts });
      expect(await withFacts.sut.addThread('C0FACTS', '1700000000.000005', thread)).toBe(3);
      expect(await withFacts.sut.addThread('C0FACTS', '1700000000.000005', thread)).toBe(3);
      expect(await countRows(`channel_id = 'C0FACTS' AND kind = 'fact'`)).toBe(2);
      const [fact] = await withFacts.sut.searchSimilarIssues('what does ORDERS_LOAD read');
      expect(fact).toMatchObject({ kind: 'fact', content: 'ORDERS_LOAD reads /data/orders/params.cfg' });

      // Another thread yielding a fact already stored: not stored again, not counted.
      const saves = await withFacts.counter('saves');
      expect(
        await withFacts.sut.addThread('C0FACTS2', '1700000000.000015', [
          message('ORDERS_LOAD parameter question again', 1),
        ]),
      ).toBe(1);
      expect(await withFacts.counter('saves')).toBe(saves + 1);
      expect(await countRows(`kind = 'fact' AND content = 'BACKUP_NIGHTLY follows ORDERS_LOAD'`)).toBe(1);

      const failing = newKnowledgeGraph(
        opened.database,
        {},
        { extractFacts: async () => Promise.reject(new Error('model down')) },
      );
      const errors = await failing.counter('errors');
      expect(await failing.sut.addThread('C0NOFACTS', '1700000000.000006', thread)).toBe(1);
      expect(await failing.counter('errors')).toBe(errors + 1);
    });
  });

  describe('the write gate', () => {
    it('redacts a conversation, stores it flagged, serves it nowhere and queues it for review', async () => {
      const id = await kg.sut.addConversation(
        'How do I reach the ZEBU master?',
        'Log in with password: Zebu-s3cret and run rm -rf /opt/tws/stdlist/*',
        'tws-specialist',
      );
      expect(await kg.sut.getMemory(id)).toMatchObject({
        status: 'flagged',
        agentResponse: 'Log in with password: [REDACTED] and run rm -rf /opt/tws/stdlist/*',
      });
      expect(await countRows(`content LIKE '%Zebu-s3cret%' OR agent_response LIKE '%Zebu-s3cret%'`)).toBe(0);
      expect(await kg.sut.searchSimilarIssues('ZEBU master')).toEqual([]);
      expect(await kg.audit.list({ query: 'ZEBU' })).toEqual([
        expect.objectContaining({
          memoryId: id,
          memoryKind: 'conversation',
          rules: ['credential_leak', 'destructive_command'],
        }),
      ]);
      await kg.audit.review(id, 'approve', 'alice');
      expect(await kg.sut.searchSimilarIssues('ZEBU master')).toEqual([
        expect.objectContaining({ id, status: 'approved' }),
      ]);
    });

    it('serves flagged memories, marked unreviewed, with AUDIT_SERVE_FLAGGED', async () => {
      const serving = newKnowledgeGraph(opened.database, { AUDIT_SERVE_FLAGGED: 'true' });
      const id = await serving.sut.addConversation('Clean the YAKMASTER spool?', 'DROP TABLE spool;', 'a');
      expect(await serving.sut.searchSimilarIssues('YAKMASTER')).toEqual([
        expect.objectContaining({ id, status: 'flagged' }),
      ]);
      expect(await serving.sut.getRelevantContext('YAKMASTER')).toContain('[conversation, unreviewed]');
    });

    it('sends the model that extracts facts the redacted thread, and screens each fact', async () => {
      const seen: string[] = [];
      const withFacts = newKnowledgeGraph(
        opened.database,
        {},
        {
          extractFacts: async (text) => {
            seen.push(text);
            return ['The KOALA agent is restarted with rm -rf /opt/tws/stdlist/* first'];
          },
        },
      );
      await withFacts.sut.addThread('C0KOALA', '1700000000.000031', [
        message('KOALA agent is down, TWS_PASSWORD=koala-pw-123 if you need it', 1),
      ]);
      expect(seen.join('')).toContain('TWS_PASSWORD=[REDACTED]');
      expect(seen.join('')).not.toContain('koala-pw-123');
      expect(await countRows(`channel_id = 'C0KOALA' AND kind = 'fact' AND status = 'flagged'`)).toBe(1);
      expect(await countRows(`channel_id = 'C0KOALA' AND kind = 'thread' AND status = 'flagged'`)).toBe(1);
    });

    it('stores a note once per source, through the same gate', async () => {
      const first = await kg.sut.addNote('incident:IBEX-1', 'IBEX job fixed by relinking the agent');
      expect(await kg.sut.getMemory(first)).toMatchObject({ kind: 'note', status: 'active' });
      const second = await kg.sut.addNote(
        'incident:IBEX-1',
        'IBEX job fixed with https://tws:ibex-pw@master/twsd and rm -rf /opt/tws/stdlist/*',
      );
      expect(await countRows(`kind = 'note' AND source_file = 'incident:IBEX-1'`)).toBe(1);
      expect(await kg.sut.getMemory(second)).toMatchObject({
        kind: 'note',
        status: 'flagged',
        content: 'IBEX job fixed with https://tws:[REDACTED]@master/twsd and rm -rf /opt/tws/stdlist/*',
      });
      expect(await kg.audit.list({ query: 'IBEX' })).toEqual([
        expect.objectContaining({ memoryId: second, memoryKind: 'note', userQuery: 'Note incident:IBEX-1' }),
      ]);
    });
  });

  describe('documents', () => {
    it('stores chunks of a file and replaces them when the file is ingested again', async () => {
      const chunks = [
        'Runbook: when JOBMAN stops, restart it with conman start',
        'Runbook: check the TWSMERGE log for AWSBHT errors',
      ];
      expect(await kg.sut.addDocumentChunks('runbook-jobman.pdf', chunks)).toBe(2);
      expect(await kg.sut.addDocumentChunks('runbook-jobman.pdf', [...chunks, ''])).toBe(2);
      expect(await countRows(`source_file = 'runbook-jobman.pdf'`)).toBe(2);
      const [hit] = await kg.sut.searchSimilarIssues('JOBMAN stopped how to restart');
      expect(hit).toMatchObject({ kind: 'document', provenance: { sourceFile: 'runbook-jobman.pdf', chunkIndex: 0 } });
      // A reviewed chunk keeps its review when the file comes again; a dropped chunk goes.
      await kg.sut.setStatus(hit.id, 'rejected');
      expect(await kg.sut.addDocumentChunks('runbook-jobman.pdf', [chunks[1], chunks[0]])).toBe(2);
      expect(await kg.sut.getMemory(hit.id)).toMatchObject({ status: 'rejected', provenance: { chunkIndex: 1 } });
      expect(await kg.sut.searchSimilarIssues('JOBMAN stopped how to restart')).toEqual([]);
      expect(await kg.sut.addDocumentChunks('runbook-jobman.pdf', [chunks[1]])).toBe(1);
      expect(await countRows(`source_file = 'runbook-jobman.pdf'`)).toBe(1);
    });
  });

  describe('scope', () => {
    it('KNOWLEDGE_SCOPE=shared (the default) lets every channel and user see a channel memory', async () => {
      await kg.sut.addConversation('IOTA_STREAM workaround found in team green', 'use the green playbook', 'a', {
        channelId: 'C0GREEN',
        slackUserId: 'U0GREEN',
      });
      expect(
        await kg.sut.searchSimilarIssues('IOTA_STREAM workaround', 5, { channelId: 'C0OTHER', slackUserId: 'U0OTHER' }),
      ).toHaveLength(1);
      expect(await kg.sut.searchSimilarIssues('IOTA_STREAM workaround')).toHaveLength(1);
    });

    it('KNOWLEDGE_SCOPE=channel keeps a channel memory out of another channel', async () => {
      const scoped = newKnowledgeGraph(opened.database, { KNOWLEDGE_SCOPE: 'channel' });
      await scoped.sut.addConversation('KAPPA_JOB secret fix for team red', 'use the red runbook', 'a', {
        channelId: 'C0RED',
      });
      expect(await scoped.sut.searchSimilarIssues('KAPPA_JOB fix', 5, { channelId: 'C0RED' })).toHaveLength(1);
      expect(await scoped.sut.searchSimilarIssues('KAPPA_JOB fix', 5, { channelId: 'C0BLUE' })).toEqual([]);
      expect(await scoped.sut.searchSimilarIssues('KAPPA_JOB fix')).toEqual([]);
    });

    it('KNOWLEDGE_SCOPE=user keeps a user memory to that user', async () => {
      const scoped = newKnowledgeGraph(opened.database, { KNOWLEDGE_SCOPE: 'user' });
      await scoped.sut.addConversation('LAMBDA_JOB personal note', 'only for bob', 'a', { slackUserId: 'U0BOB' });
      expect(await scoped.sut.searchSimilarIssues('LAMBDA_JOB note', 5, { slackUserId: 'U0BOB' })).toHaveLength(1);
      expect(await scoped.sut.searchSimilarIssues('LAMBDA_JOB note', 5, { slackUserId: 'U0EVE' })).toEqual([]);
    });
  });

  describe('context for prompts', () => {
    it('formats past problems, solutions and ratings within CONTEXT_MAX_CHARS', async () => {
      const small = newKnowledgeGraph(opened.database, { CONTEXT_MAX_CHARS: '400' });
      for (let i = 0; i < 6; i++) {
        await small.sut.addConversation(
          `OMEGA_STREAM failure number ${i} ${'detail '.repeat(10)}`,
          `Fix ${i}: ${'step '.repeat(20)}`,
          'a',
        );
      }
      const context = await small.sut.getRelevantContext('OMEGA_STREAM failure');
      expect(context.length).toBeLessThanOrEqual(400);
      expect(context).toContain('Problem: OMEGA_STREAM failure');
      expect(context).toContain('Solution: Fix');
      expect(await small.sut.getRelevantContext('nothing matches this sentence at all zzqx')).toBe('');
    });

    it('counts a failed save as an error and never as a save', async () => {
      const lost = await target.open();
      const broken = newKnowledgeGraph(lost.database);
      await lost.dispose();
      await expect(broken.sut.addConversation('SIGMA_JOB abended', 'never stored', 'a')).rejects.toThrow();
      await expect(
        broken.sut.addThread('C0LOST', '1700000000.000020', [message('SIGMA_JOB thread', 1)]),
      ).rejects.toThrow();
      expect(await broken.counter('saves')).toBe(0);
      expect(await broken.counter('errors')).toBe(2);
    });

    it('counts searches', async () => {
      const before = await kg.counter('searches');
      await kg.sut.searchSimilarIssues('anything');
      expect(await kg.counter('searches')).toBe(before + 1);
    });
  });
});
