/**
 * An asynchronous TTL cache (the seed's AsyncTTLCache): L1 in memory with a size bound, and L2 in
 * Redis when REDIS_URL is set. Values must be JSON-serialisable.
 */
export interface ICache {
  readonly name: string;
  /** The cached value, or undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  /**
   * The cached value, or the loader's result stored for `ttlSeconds`. However many callers miss
   * the same key at the same time, the loader runs once and all of them get its result (or error).
   */
  getOrLoad<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T>;
}

export const ICache = Symbol('ICache');
