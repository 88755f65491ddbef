import request from 'supertest';
import { type RunningApp, startApp } from './support/app-harness';
import { buildDocx, buildPdf, buildXlsx } from './support/documents';

const UPLOAD_MAX_BYTES = 64 * 1024;

describe('RAG upload and files (e2e)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({
      UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
      INGEST_MAX_UNPACKED_BYTES: '1mb',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  const upload = (content: Buffer, filename: string) =>
    request(app.url).post('/api/rag/upload').attach('file', content, filename);

  it('accepts a PDF with the seed fields, stores the job before answering, and serves the bytes back', async () => {
    const pdf = buildPdf(['Runbook for JOB001: restart the agent']);
    const res = await upload(pdf, 'document.pdf').expect(202);
    expect(res.body).toMatchObject({
      filename: 'document.pdf',
      content_type: 'application/pdf',
      message: 'File uploaded successfully and queued for ingestion.',
      duplicate: false,
      size_bytes: pdf.length,
    });
    const job = await request(app.url).get(`/api/rag/jobs/${res.body.job_id}`).expect(200);
    expect(job.body).toMatchObject({ id: res.body.job_id, filename: 'document.pdf', sha256: res.body.sha256 });
    expect(['queued', 'processing', 'done', 'failed']).toContain(job.body.status);

    const listed = await request(app.url).get('/api/files').expect(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ name: 'document.pdf', job_id: res.body.job_id, size_bytes: pdf.length }),
    );

    const download = await request(app.url).get('/api/files/document.pdf').responseType('blob').expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(Buffer.compare(download.body as Buffer, pdf)).toBe(0);
  });

  it('returns the existing job with 200 and duplicate: true for the same bytes', async () => {
    const docx = buildDocx(['Same bytes twice']);
    const first = await upload(docx, 'notes.docx').expect(202);
    const second = await upload(docx, 'renamed.docx').expect(200);
    expect(second.body).toMatchObject({ job_id: first.body.job_id, duplicate: true, filename: 'notes.docx' });
    const jobs = await request(app.url).get('/api/rag/jobs').expect(200);
    expect(jobs.body.filter((j: { sha256: string }) => j.sha256 === first.body.sha256)).toHaveLength(1);
  });

  it('accepts XLSX and UTF-8 text, and sanitises the name', async () => {
    const xlsx = await buildXlsx({
      Codes: [
        ['Code', 'Meaning'],
        ['RC12', 'File not found'],
      ],
    });
    const res = await upload(xlsx, '../../etc/códigos<1>.xlsx').expect(202);
    expect(res.body.filename).toBe('códigos_1_.xlsx');
    expect(res.body.content_type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await request(app.url)
      .get(`/api/files/${encodeURIComponent('códigos_1_.xlsx')}`)
      .expect(200);
    const text = await upload(Buffer.from('# Runbook\nRestart with `conman`'), 'runbook.md').expect(202);
    expect(text.body.content_type).toBe('text/markdown');
  });

  it('answers 413 in the error shape when the file passes UPLOAD_MAX_BYTES, and stores nothing', async () => {
    const before = (await request(app.url).get('/api/files?limit=200')).body.length;
    const res = await upload(Buffer.alloc(UPLOAD_MAX_BYTES + 1, 'a'), 'big.txt').expect(413);
    expect(res.body).toMatchObject({
      statusCode: 413,
      error: expect.stringContaining('upload limit'),
      requestId: expect.any(String),
    });
    await upload(Buffer.alloc(UPLOAD_MAX_BYTES, 'a'), 'exactly-at-limit.txt').expect(202);
    expect((await request(app.url).get('/api/files?limit=200')).body.length).toBe(before + 1);
  });

  it.each([
    ['content that does not match the name', () => buildPdf(['x']), 'report.docx', 415],
    ['a name that promises a PDF', () => Buffer.from('plain words'), 'report.pdf', 415],
    ['an image', () => Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'), 'photo.png', 415],
    ['an executable', () => Buffer.from('MZ\x90\x00rest', 'latin1'), 'setup.exe', 415],
    ['binary bytes named .txt', () => Buffer.from([0x41, 0x00, 0xc3, 0x28]), 'notes.txt', 415],
    ['an empty file', () => Buffer.alloc(0), 'empty.txt', 400],
  ])('rejects %s', async (_, content, name, status) => {
    const res = await upload(content(), name).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String) });
  });

  it('refuses a zip bomb (a DOCX that unpacks beyond INGEST_MAX_UNPACKED_BYTES) with 413, before inflating it', async () => {
    const bomb = buildDocx(['a'.repeat(2 * 1024 * 1024)]);
    expect(bomb.length).toBeLessThan(UPLOAD_MAX_BYTES);
    const res = await upload(bomb, 'bomb.docx').expect(413);
    expect(res.body.error).toContain('INGEST_MAX_UNPACKED_BYTES');
  });

  it('rejects a form without a file, or with the file in another field', async () => {
    const none = await request(app.url).post('/api/rag/upload').field('note', 'x').expect(400);
    expect(none.body.error).toContain("'file'");
    await request(app.url).post('/api/rag/upload').attach('document', Buffer.from('x'), 'x.txt').expect(400);
    await request(app.url).post('/api/rag/upload').send({ file: 'x' }).expect(400);
  });

  it('answers 404 for an unknown job and 400 for a malformed id', async () => {
    await request(app.url).get('/api/rag/jobs/6f1c1c7e-8b7a-4c55-9d5e-000000000000').expect(404);
    await request(app.url).get('/api/rag/jobs/not-a-uuid').expect(400);
    await request(app.url).get('/api/rag/jobs?status=bogus').expect(400);
  });

  describe('path traversal', () => {
    const corpus = [
      '/api/files/..%2F..%2Fetc%2Fpasswd',
      '/api/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/api/files/%2e%2e',
      '/api/files/..',
      '/api/files/%2E%2E%5C%2E%2E%5Cwindows%5Cwin.ini',
      '/api/files/..%5C..%5Cwindows%5Cwin.ini',
      '/api/files/%2Fetc%2Fpasswd',
      '/api/files//etc/passwd',
      '/api/files/C:%5Cwindows%5Cwin.ini',
      '/api/files/document.pdf%00.txt',
      '/api/files/document.pdf%00',
      '/api/files/sub/document.pdf',
      '/api/files/..%252f..%252fetc%252fpasswd',
      '/api/files/%252e%252e%252fetc%252fpasswd',
      '/api/files/.env',
      '/api/files/%c0%ae%c0%ae%2fetc%2fpasswd',
      '/api/files/....%2F%2F....%2F%2Fetc%2Fpasswd',
      '/api/files/document.pdf%0d%0aSet-Cookie:x=1',
    ];

    it.each(corpus)('never serves a file for %s', async (path) => {
      const res = await request(app.url).get(path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toMatch(/root:|\[fonts\]/);
    });

    it('answers 404 for a well-formed name that was never uploaded', async () => {
      await request(app.url).get('/api/files/never-uploaded.pdf').expect(404);
    });
  });
});

describe('RAG upload and files with credentials (e2e)', () => {
  let app: RunningApp;
  const READER = 'ka_reader_key_0123456789';
  const WRITER = 'ka_writer_key_0123456789';

  beforeAll(async () => {
    app = await startApp({
      A2A_API_KEYS: JSON.stringify({ [READER]: { caller: 'dashboard', roles: ['read'] }, [WRITER]: 'root-agent' }),
      RATE_LIMIT_RPS: '0.01',
      RATE_LIMIT_BURST: '2',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  const upload = (key: string | undefined, name: string) => {
    const req = request(app.url).post('/api/rag/upload');
    if (key) req.set('X-API-Key', key);
    return req.attach('file', Buffer.from(`contents of ${name}`), name);
  };

  it('needs credentials to upload, list or download', async () => {
    await upload(undefined, 'anonymous.txt').expect(401);
    await request(app.url).get('/api/files').expect(401);
    await request(app.url).get('/api/rag/jobs').expect(401);
  });

  it('lets a reader list but not upload, and records who uploaded', async () => {
    await upload(READER, 'reader.txt').expect(403);
    await upload(WRITER, 'writer.txt').expect(202);
    const files = await request(app.url).get('/api/files').set('X-API-Key', READER).expect(200);
    expect(files.body).toEqual([expect.objectContaining({ name: 'writer.txt', uploaded_by: 'root-agent' })]);
    await request(app.url).get('/api/files/writer.txt').set('X-API-Key', READER).expect(200);
  });

  it('rate-limits uploads', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await upload(WRITER, `burst-${i}.txt`)).status);
    expect(statuses).toContain(429);
    const res = await upload(WRITER, 'one-more.txt').expect(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.error).toBe('Rate limit exceeded. Please try again later.');
  });
});
