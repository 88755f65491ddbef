import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PageNotFoundError, PLAN_SOURCE_MARKER, StaticPages } from './static-pages';

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

  it('puts the simulated-plan banner in every page when the plan is the simulator, and nothing otherwise', async () => {
    const page = `<body><header></header>${PLAN_SOURCE_MARKER}<main></main></body>`;
    await writeFile(join(directory, 'revisao.html'), page);
    await writeFile(join(directory, 'dashboard.html'), page);
    await writeFile(join(directory, 'pages.css'), PLAN_SOURCE_MARKER);

    const simulated = new StaticPages(directory, 'simulator');
    await simulated.onModuleInit();
    for (const name of ['revisao.html', 'dashboard.html'])
      expect(simulated.get(name).body.toString()).toMatch(
        /<header><\/header><p class="banner banner-simulated" role="alert" data-plan-source="simulator">Plano SIMULADO: .*<\/p><main>/,
      );
    expect(simulated.get('pages.css').body.toString()).toBe(PLAN_SOURCE_MARKER);

    const real = new StaticPages(directory, 'hwa');
    await real.onModuleInit();
    expect(real.get('revisao.html').body.toString()).toBe('<body><header></header><main></main></body>');
  });
});
