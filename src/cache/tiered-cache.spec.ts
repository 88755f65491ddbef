import type { CacheObserver } from './cache-metrics';
import { TieredCache } from './tiered-cache';

class CountingObserver implements CacheObserver {
  readonly counts: Record<string, number> = {};
  private bump(key: string) {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
  hit(_: string, level: string) {
    this.bump(`hit:${level}`);
  }
  miss() {
    this.bump('miss');
  }
  load(_: string, outcome: string) {
    this.bump(`load:${outcome}`);
  }
  l2Error() {
    this.bump('l2Error');
  }
}

function newCache(overrides: { maxEntries?: number; now?: () => number } = {}) {
  const observer = new CountingObserver();
  const sut = new TieredCache({ name: 'test', maxEntries: 100, defaultTtlSeconds: 30, observer, ...overrides });
  return { sut, observer };
}

describe(TieredCache.name, () => {
  it('returns what was set and undefined for a missing key', async () => {
    const { sut, observer } = newCache();
    await sut.set('a', { n: 1 });
    expect(await sut.get('a')).toEqual({ n: 1 });
    expect(await sut.get('missing')).toBeUndefined();
    expect(observer.counts).toMatchObject({ 'hit:l1': 1, miss: 1 });
  });

  it('expires an entry after its own TTL', async () => {
    let now = 1_000;
    const { sut } = newCache({ now: () => now });
    await sut.set('short', 'x', 1);
    await sut.set('long', 'y');
    now += 1_500;
    expect(await sut.get('short')).toBeUndefined();
    expect(await sut.get('long')).toBe('y');
    now += 30_000;
    expect(await sut.get('long')).toBeUndefined();
  });

  it('reports whether delete removed something', async () => {
    const { sut } = newCache();
    await sut.set('a', 1);
    expect(await sut.delete('a')).toBe(true);
    expect(await sut.delete('a')).toBe(false);
    expect(await sut.get('a')).toBeUndefined();
  });

  it('stays within its size bound, evicting the least recently used', async () => {
    const { sut } = newCache({ maxEntries: 16 });
    for (let i = 0; i < 100; i++) await sut.set(`k${i}`, i);
    expect(await sut.get('k0')).toBeUndefined();
    expect(await sut.get('k99')).toBe(99);
  });

  it('runs the loader once for 100 concurrent misses', async () => {
    const { sut, observer } = newCache();
    let loads = 0;
    const loader = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { status: 'LINKED' };
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => sut.getOrLoad('ws', 30, loader)));
    expect(loads).toBe(1);
    expect(results.every((r) => r.status === 'LINKED')).toBe(true);
    expect(observer.counts['load:ok']).toBe(1);
    await sut.getOrLoad('ws', 30, loader);
    expect(loads).toBe(1);
  });

  it('shares a loader failure with every waiter and caches nothing', async () => {
    const { sut } = newCache();
    let loads = 0;
    const failing = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('upstream down');
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => sut.getOrLoad('k', 30, failing)));
    expect(loads).toBe(1);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(await sut.getOrLoad('k', 30, async () => 'recovered')).toBe('recovered');
  });
});
