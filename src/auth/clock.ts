/** Milliseconds since the epoch; replaced by a fake in tests of time-based rules. */
export interface IClock {
  now(): number;
}

export const IClock = Symbol('IClock');

export const systemClock: IClock = { now: () => Date.now() };
