import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PageNotFoundError, StaticPages } from './static-pages';

describe(StaticPages.name, () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'resync-pages-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('serves the listed files it found and answers not found for a missing dashboard', async () => {
    await writeFile(join(directory, 'revisao.html'), '<!doctype html><title>r</title>');
    await writeFile(join(directory, 'secret.txt'), 'not a page');
    const sut = new StaticPages(directory);
    await sut.onModuleInit();

    expect(sut.get('revisao.html')).toEqual({
      body: Buffer.from('<!doctype html><title>r</title>'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(() => sut.get('dashboard.html')).toThrow(PageNotFoundError);
    expect(() => sut.get('secret.txt')).toThrow(PageNotFoundError);
    expect(() => sut.get('../revisao.html')).toThrow(PageNotFoundError);
    expect(() => sut.get('__proto__')).toThrow(PageNotFoundError);
  });
});
