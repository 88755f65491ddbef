import type { TwsSimulator } from '../../src/tws-simulator/tws-simulator';
import { type RunningApp, startApp } from './app-harness';

export const TWS_USER = 'twsuser';
export const TWS_PASSWORD = 's3cret';
/** A fixed plan clock: the plan only changes when a test moves it or acts on it. */
export const CLOCK_START = Date.parse('2026-11-22T22:00:00Z');

/** The app against a simulator started by the test (so the test can count calls and inject faults). */
export function startAgainst(simulator: TwsSimulator, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = new URL(simulator.url).port;
  return startApp({
    TWS_HOST: '127.0.0.1',
    TWS_PORT: port,
    TWS_PROTOCOL: 'http',
    TWS_USER,
    TWS_PASSWORD,
    TWS_RETRY_ATTEMPTS: '1',
    RATE_LIMIT_RPS: '100000',
    RATE_LIMIT_BURST: '100000',
    ...env,
  });
}

/** A plan clock the test moves: `clock.now` is what the simulator reads. */
export interface PlanClock {
  now: number;
}

/**
 * Moves the simulated plan forward one step (`stepMs`) at a time until `ready` holds — the plan is
 * deterministic under its seed, so this always stops at the same step. Throws after `maxSteps`.
 */
export function advanceUntil(
  simulator: TwsSimulator,
  clock: PlanClock,
  ready: () => boolean,
  { stepMs = 5_000, maxSteps = 500 } = {},
): void {
  for (let step = 0; !ready(); step++) {
    if (step >= maxSteps) throw new Error(`the simulated plan did not reach the wanted state in ${maxSteps} steps`);
    clock.now += stepMs;
    simulator.plan.sync();
  }
}
