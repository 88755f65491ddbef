import type { IClock } from '../clock';
import { MemoryRateLimiter } from './memory-rate-limiter';

class FakeClock implements IClock {
  constructor(private time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

describe(MemoryRateLimiter.name, () => {
  const settings = { ratePerSecond: 10, burst: 20, maxClients: 100 };
  let clock: FakeClock;
  let sut: MemoryRateLimiter;

  beforeEach(() => {
    clock = new FakeClock();
    sut = new MemoryRateLimiter(settings, clock);
  });

  const takeMany = (key: string, n: number) => Array.from({ length: n }, () => sut.consumeNow(key));

  it('lets a burst of 20 through, then refuses with Retry-After', () => {
    const burst = takeMany('ip:a', 20);
    expect(burst.every((d) => d.allowed)).toBe(true);
    expect(burst.map((d) => d.remaining).slice(-3)).toEqual([2, 1, 0]);
    const refused = sut.consumeNow('ip:a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1, limit: 20, resetSeconds: 2 });
  });

  it('refills at 10 per second as time passes', () => {
    takeMany('ip:a', 20);
    clock.advance(99);
    expect(sut.consumeNow('ip:a').allowed).toBe(false);
    clock.advance(1);
    expect(sut.consumeNow('ip:a').allowed).toBe(true);
    expect(sut.consumeNow('ip:a').allowed).toBe(false);
    clock.advance(500);
    expect(takeMany('ip:a', 6).map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it('never holds more than the burst however long a client stays away', () => {
    takeMany('ip:a', 20);
    clock.advance(3_600_000);
    expect(takeMany('ip:a', 21).filter((d) => d.allowed)).toHaveLength(20);
  });

  it('gives each client its own bucket', () => {
    takeMany('ip:a', 20);
    expect(sut.consumeNow('ip:a').allowed).toBe(false);
    expect(sut.consumeNow('ip:b').allowed).toBe(true);
  });

  it('keeps at most RATE_LIMIT_MAX_CLIENTS buckets however many clients call', () => {
    for (let i = 0; i < 10_000; i++) sut.consumeNow(`ip:10.0.${i >> 8}.${i & 255}`);
    expect(sut.size).toBe(100);
  });

  it('tells a slow client how long to wait', () => {
    const slow = new MemoryRateLimiter({ ratePerSecond: 0.1, burst: 1, maxClients: 100 }, clock);
    slow.consumeNow('k');
    expect(slow.consumeNow('k').retryAfterSeconds).toBe(10);
  });
});
