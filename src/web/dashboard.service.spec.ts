import type { ModuleRef } from '@nestjs/core';
import type { AuditService } from '../audit/audit.service';
import type { CacheFactory } from '../cache/cache-factory';
import type { ICache } from '../cache/cache.port';
import { IConnectionManager } from '../chat/connection-manager.port';
import { loadConfig } from '../config/load-config';
import type { TwsStatusService } from '../tws/tws-status.service';
import { DashboardService } from './dashboard.service';

const counts = { pending: 2, approved: 5, rejected: 1, total: 8 };

/** A cache that runs the loader every time, counting the calls. */
class PassThroughCache {
  loads = 0;
  getOrLoad<T>(_key: string, _ttl: number, loader: () => Promise<T>): Promise<T> {
    this.loads++;
    return loader();
  }
}

const emptyPlan = { workstations: [], jobs: [], critical_jobs: [], source: 'hwa' };

const build = (
  audit: Partial<AuditService>,
  registered: Record<symbol, unknown> = {},
  env: Record<string, string> = {},
  plan: Pick<TwsStatusService, 'getSystemStatus'> = { getSystemStatus: async () => emptyPlan as never },
) => {
  const cache = new PassThroughCache();
  const caches = { get: () => cache as unknown as ICache } as unknown as CacheFactory;
  const moduleRef = {
    get: (token: symbol) => {
      if (!(token in registered)) throw new Error('not registered');
      return registered[token];
    },
  } as unknown as ModuleRef;
  return {
    sut: new DashboardService(
      loadConfig({ DASHBOARD_SOURCE_TIMEOUT_MS: '100', ...env }),
      caches,
      audit as AuditService,
      plan as TwsStatusService,
      moduleRef,
    ),
    cache,
  };
};

describe(DashboardService.name, () => {
  it('reports the audit queue and the plan, and marks parts this build lacks as unavailable', async () => {
    const { sut, cache } = build({ metrics: async () => counts });
    const summary = await sut.summary();
    expect(summary).toEqual({
      generated_at: expect.stringMatching(/Z$/),
      audit: { available: true, ...counts },
      tws: {
        available: true,
        source: 'hwa',
        workstations: { total: 0, by_status: {} },
        jobs: { total: 0, by_status: {} },
        critical_jobs: { total: 0, by_status: {} },
      },
      knowledge: { available: false, reason: expect.stringContaining('knowledge graph') },
      connections: { available: false, reason: expect.stringContaining('connection manager') },
    });
    expect(cache.loads).toBe(1);
  });

  it('counts chat connections when the chat module is present', async () => {
    const { sut } = build({ metrics: async () => counts }, { [IConnectionManager]: { size: 3 } });
    expect((await sut.summary()).connections).toEqual({ available: true, active: 3 });
  });

  it('counts the plan read through TwsStatusService by status, saying where it comes from', async () => {
    const status = {
      source: 'simulator',
      workstations: [{ status: 'LINKED' }, { status: 'LINKED' }, { status: 'UNLINKED' }],
      jobs: [{ status: 'SUCC' }, { status: 'ABEND' }, { status: 'SUCC' }, { status: 'EXEC' }],
      critical_jobs: [],
    };
    const { sut } = build({ metrics: async () => counts }, {}, {}, { getSystemStatus: async () => status as never });
    expect((await sut.summary()).tws).toEqual({
      available: true,
      source: 'simulator',
      workstations: { total: 3, by_status: { LINKED: 2, UNLINKED: 1 } },
      jobs: { total: 4, by_status: { SUCC: 2, ABEND: 1, EXEC: 1 } },
      critical_jobs: { total: 0, by_status: {} },
    });

    const down = build(
      { metrics: async () => counts },
      {},
      {},
      {
        getSystemStatus: () => Promise.reject(new Error('TWS master unreachable')),
      },
    ).sut;
    expect((await down.summary()).tws).toEqual({ available: false, reason: 'TWS master unreachable' });
  });

  it('turns a failing or slow part into unavailable without failing the rest', async () => {
    const failing = build({ metrics: () => Promise.reject(new Error('database down')) }).sut;
    expect((await failing.summary()).audit).toEqual({ available: false, reason: 'database down' });

    const slow = build({ metrics: () => new Promise(() => undefined) }).sut;
    const started = Date.now();
    expect((await slow.summary()).audit).toEqual({ available: false, reason: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('skips the shared cache when DASHBOARD_CACHE_SECONDS is 0', async () => {
    const { sut, cache } = build({ metrics: async () => counts }, {}, { DASHBOARD_CACHE_SECONDS: '0' });
    await sut.summary();
    expect(cache.loads).toBe(0);
  });
});
