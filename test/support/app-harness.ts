import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app.factory';
import { newDataDir } from './temp-data-dir';

export interface RunningApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:PORT */
  url: string;
  dataDir: string;
  /** Every log line written since this app started, parsed. */
  logs(): Record<string, unknown>[];
  /** The first log line matching `predicate`, waiting briefly for lines still being written; undefined if none comes. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/** Captures pino's JSON lines in memory. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

/**
 * One capture per test file. nestjs-pino keeps a single pino-http instance per process (the first
 * app's), so every app a test file starts logs to the destination given first; each app then reads
 * the lines written since it started (apps running at the same time see each other's lines).
 */
const capture = new LogCapture();

/**
 * Boots the real application on a random loopback port with a temporary DATA_DIR and JSON logs.
 * `env` adds to (or overrides) those embedded defaults; `beforeListen` runs before the modules
 * initialise (e.g. to register extra agent tools).
 */
export async function startApp(
  env: Record<string, string | undefined> = {},
  options: { beforeListen?: (app: NestExpressApplication) => void | Promise<void> } = {},
): Promise<RunningApp> {
  const dataDir = env.DATA_DIR ?? (await newDataDir('resync-e2e-'));
  const firstLine = capture.lines.length;
  const app = await createApp({
    env: {
      DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      // The incident watcher pushes frames to every chat and reads HWA: only the tests about it turn it on.
      WATCH_ENABLED: 'false',
      ...env,
    },
    logDestination: capture,
  });
  await options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const logs = () => capture.lines.slice(firstLine).map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    logs,
    waitForLog: async (predicate, timeoutMs = 2000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs().find(predicate);
        if (found || Date.now() > deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      await app.close();
      if (!env.DATA_DIR) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
