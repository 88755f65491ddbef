import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { KEY_FILE } from '../src/security/encryption-key';
import { ReviewNotesRepository } from '../src/security/review-notes.repository';
import { SecretBox } from '../src/security/secret-box';
import { type RunningApp, startApp } from './support/app-harness';
import { newDataDir } from './support/temp-data-dir';
import { BENIGN_TEXTS, payloadsNotRefused } from './support/xss-corpus';

const UNLIMITED = { RATE_LIMIT_RPS: '10000000', RATE_LIMIT_BURST: '10000000' };

describe('Hardened endpoints (e2e)', () => {
  describe('POST /api/sensitive', () => {
    it('encrypts with a key generated once under DATA_DIR (0600) and kept across restarts', async () => {
      const dataDir = await newDataDir('resync-sensitive-');
      const first = await startApp({ DATA_DIR: dataDir });
      let token: string;
      try {
        const res = await request(first.url)
          .post('/api/sensitive')
          .send({ data: 'payroll password hunter2' })
          .expect(200);
        token = res.body.encrypted;
        expect(token).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
        expect(token).not.toContain('hunter2');
        const again = await request(first.url)
          .post('/api/sensitive')
          .send({ data: 'payroll password hunter2' })
          .expect(200);
        expect(again.body.encrypted).not.toBe(token);
        expect((await stat(join(dataDir, KEY_FILE))).mode & 0o777).toBe(0o600);
        expect(JSON.stringify(first.logs())).not.toContain('hunter2');
      } finally {
        await first.close();
      }
      const second = await startApp({ DATA_DIR: dataDir });
      try {
        expect(second.app.get(SecretBox).open(token)).toBe('payroll password hunter2');
      } finally {
        await second.close();
      }
    });

    it('uses ENCRYPTION_KEY when set and writes no key file', async () => {
      const key = Buffer.alloc(32, 9);
      const running = await startApp({ ENCRYPTION_KEY: key.toString('base64') });
      try {
        const res = await request(running.url).post('/api/sensitive').send({ data: 's3cret' }).expect(200);
        expect(new SecretBox(key).open(res.body.encrypted)).toBe('s3cret');
        await expect(stat(join(running.dataDir, KEY_FILE))).rejects.toThrow('ENOENT');
      } finally {
        await running.close();
      }
    });

    it('answers bad input with 400 and never echoes the data', async () => {
      const running = await startApp({});
      try {
        for (const body of [{}, { data: 42 }, { data: 'ok', extra: 'secret-extra' }]) {
          const res = await request(running.url).post('/api/sensitive').send(body).expect(400);
          expect(res.body.details).toEqual(expect.any(Array));
          expect(res.text).not.toContain('secret-extra');
        }
      } finally {
        await running.close();
      }
    });
  });

  describe('POST /api/review', () => {
    let running: RunningApp;
    let notes: ReviewNotesRepository;
    beforeAll(async () => {
      running = await startApp({
        ...UNLIMITED,
        A2A_API_KEYS: '{"ka_reviewer":"reviewer","ka_reader1":{"caller":"reader","roles":["read"]}}',
      });
      notes = running.app.get(ReviewNotesRepository);
    });
    afterAll(() => running.close());

    const review = (body: unknown, key = 'ka_reviewer') =>
      request(running.url)
        .post('/api/review')
        .set('X-API-Key', key)
        .send(body as object);

    it('stores the note with its caller and time and answers 201 with its id', async () => {
      const before = Date.now();
      const res = await review({ content: 'The PAYROLL rerun note is accurate.' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        caller: 'reviewer',
        created_at: expect.any(String),
      });
      const stored = await notes.find(res.body.id);
      expect(stored).toMatchObject({ content: 'The PAYROLL rerun note is accurate.', callerId: 'reviewer' });
      expect(stored!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('accepts exactly 1000 characters and refuses 1001 with details', async () => {
      await review({ content: 'a'.repeat(1000) }).expect(201);
      const res = await review({ content: 'a'.repeat(1001) }).expect(400);
      expect(res.body.details).toEqual([{ field: 'content', problems: [expect.stringContaining('1000')] }]);
    });

    it('refuses missing, empty, non-string content and unknown fields, writing nothing', async () => {
      const count = await notes.count();
      for (const body of [{}, { content: '' }, { content: 7 }, { content: 'ok', admin: true }]) {
        const res = await review(body).expect(400);
        expect(res.body.details).toEqual(expect.any(Array));
      }
      expect(await notes.count()).toBe(count);
    });

    it('refuses every payload of the XSS corpus with 400 and stores none of them', async () => {
      const count = await notes.count();
      const leaked = await payloadsNotRefused((content) => review({ content }));
      expect(leaked).toEqual([]);
      expect(await notes.count()).toBe(count);
    });

    it('accepts operator prose that merely looks like markup', async () => {
      for (const content of BENIGN_TEXTS) await review({ content }).expect(201);
    });

    it('needs the write role', async () => {
      await review({ content: 'x' }, 'ka_reader1').expect(403);
    });
  });

  describe('POST /api/chat', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ ...UNLIMITED, A2A_API_KEYS: '{"ka_chatter":"chatter"}' });
    });
    afterAll(() => running.close());

    const chat = (message: unknown) =>
      request(running.url).post('/api/chat').set('X-API-Key', 'ka_chatter').send({ message });

    it('refuses every payload of the XSS corpus with 400 and details', async () => {
      expect(await payloadsNotRefused((message) => chat(message))).toEqual([]);
    });

    it('refuses a missing, empty or non-string message', async () => {
      for (const message of [undefined, '', 42])
        expect((await chat(message).expect(400)).body.details).toEqual(expect.any(Array));
    });

    it('answers operator prose that merely looks like markup', async () => {
      for (const message of BENIGN_TEXTS.slice(0, 2)) {
        const res = await chat(message).expect(200);
        expect(res.body.response).toEqual(expect.any(String));
        expect(res.body.response.length).toBeGreaterThan(0);
      }
    });
  });
});
