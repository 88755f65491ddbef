// GET /api/health/app through the whole stack vs a bare node:http server answering the same JSON,
// in the same run; cold start to first 200 and idle RSS. Usage: npm run build && node bench/foundation.js
const http = require('node:http');
const { startApp, load, fmt } = require('./lib');

const APP_PORT = 18_100;
const BARE_PORT = 18_101;
const DURATION_S = Number(process.argv[2] ?? 5);

async function main() {
  const bare = http.createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"status":"ok"}');
  });
  await new Promise((resolve) => bare.listen(BARE_PORT, '127.0.0.1', resolve));

  // First boot initialises the embedded database; the second is the usual restart.
  const first = await startApp({ port: APP_PORT });
  const dataDir = first.dataDir;
  first.child.kill('SIGTERM');
  await new Promise((resolve) => first.child.once('exit', resolve));
  const app = await startApp({ port: APP_PORT, dataDir });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idleRss = app.rssMb();

  await load({ url: `http://127.0.0.1:${APP_PORT}/api/health/app`, duration: 2 });
  const appRun = await load({ url: `http://127.0.0.1:${APP_PORT}/api/health/app`, duration: DURATION_S });
  const bareRun = await load({ url: `http://127.0.0.1:${BARE_PORT}/`, duration: DURATION_S });

  console.log('GET /api/health/app, 50 connections, %ss each', DURATION_S);
  for (const [name, run] of [
    ['resync', appRun],
    ['bare node:http', bareRun],
  ]) {
    console.log(
      `  ${name.padEnd(16)} ${fmt(run.requests.average, 0).padStart(7)} req/s   p50 ${fmt(run.latency.p50)} ms   p99 ${fmt(run.latency.p99)} ms   errors ${run.errors + run.non2xx}`,
    );
  }
  console.log(`  throughput ratio resync/bare: ${fmt(appRun.requests.average / bareRun.requests.average, 2)}`);
  console.log(`cold start to first 200 (new data dir, initdb): ${fmt(first.coldStartMs, 0)} ms`);
  console.log(`cold start to first 200 (existing data dir):    ${fmt(app.coldStartMs, 0)} ms   (target < 3000 ms)`);
  console.log(`idle RSS after boot (embedded PGlite): ${fmt(idleRss, 0)} MB   (target < 200 MB)`);

  await app.stop();
  require('node:fs').rmSync(dataDir, { recursive: true, force: true });

  // Cluster mode keeps PostgreSQL out of the process: the same figures against the server.
  if (process.env.DATABASE_URL) {
    const server = await startApp({ port: APP_PORT, env: { DATABASE_URL: process.env.DATABASE_URL } });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    console.log(
      `with DATABASE_URL: cold start ${fmt(server.coldStartMs, 0)} ms, idle RSS ${fmt(server.rssMb(), 0)} MB`,
    );
    await server.stop();
  }
  bare.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
