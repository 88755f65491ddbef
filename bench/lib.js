// Shared helpers for the bench scripts: start the built app as a child process, wait for it,
// run autocannon, read RSS. Every bench is bounded in time and talks to loopback only.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');

const ROOT = join(__dirname, '..');

function ensureBuilt() {
  const { existsSync } = require('node:fs');
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/main.js is missing: run `npm run build` first');
  }
}

async function waitFor(url, timeoutMs = 30000) {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/**
 * Starts `node dist/main.js` on `port` with a fresh DATA_DIR (or the given one). The app runs
 * embedded unless `env` names DATABASE_URL / REDIS_URL: the ones the bench itself was started with
 * are not inherited, so "embedded" figures never silently measure a server.
 */
async function startApp({ port, env = {}, dataDir, startTimeoutMs = 30000 } = {}) {
  ensureBuilt();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'resync-bench-'));
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/api/health/app`, startTimeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const coldStartMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    child,
    dataDir: dir,
    coldStartMs,
    rssMb: () => rssOf(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function rssOf(pid) {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return kb / 1024;
}

function load(options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 50, duration: 5, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const fmt = (n, digits = 1) => Number(n).toFixed(digits);

module.exports = { startApp, load, fmt, rssOf, waitFor };
