import { ConfigValidationError } from '../config.errors';
import { loadConfig } from '../load-config';

describe('ingestion configuration', () => {
  it('has safe defaults', () => {
    expect(loadConfig({}).ingestion).toMatchObject({
      uploadMaxBytes: 20 * 1024 * 1024,
      allowedTypes: ['pdf', 'docx', 'xlsx', 'txt', 'md', 'csv'],
      chunkSize: 1000,
      chunkOverlap: 200,
      workerConcurrency: 1,
      leaseSeconds: 60,
    });
  });

  it('reads sizes and lists', () => {
    const { ingestion } = loadConfig({ UPLOAD_MAX_BYTES: '5mb', UPLOAD_ALLOWED_TYPES: 'pdf, docx' });
    expect(ingestion.uploadMaxBytes).toBe(5 * 1024 * 1024);
    expect(ingestion.allowedTypes).toEqual(['pdf', 'docx']);
  });

  it.each([
    [{ CHUNK_SIZE: '500', CHUNK_OVERLAP: '500' }, 'CHUNK_OVERLAP'],
    [{ UPLOAD_ALLOWED_TYPES: 'pdf,exe' }, 'UPLOAD_ALLOWED_TYPES'],
    [{ UPLOAD_MAX_BYTES: 'huge' }, 'UPLOAD_MAX_BYTES'],
    [{ INGEST_LEASE_SECONDS: '1' }, 'INGEST_LEASE_SECONDS'],
  ])('rejects %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
