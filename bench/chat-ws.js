// 200 concurrent WebSocket clients chatting with the offline agent: messages/s, p99 time to the
// first `stream` frame and to `is_final`, RSS per connection.
// Usage: npm run build && node bench/chat-ws.js [clients=200] [messagesPerClient=10]
const WsClient = require('ws');
const { startApp, fmt } = require('./lib');

const PORT = 18_110;
const CLIENTS = Number(process.argv[2] ?? 200);
const MESSAGES = Number(process.argv[3] ?? 10);
const QUESTIONS = [
  "What's the status of the TWS system?",
  'Quais jobs tiveram falhas hoje?',
  'show me the log of PAY_CALC',
  'Why did ETL_GET_FILES abend?',
];

function connect(agentId) {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(`ws://127.0.0.1:${PORT}/ws/${agentId}`);
    ws.once('error', reject);
    // Ready once the greeting (info frame) arrived.
    ws.once('message', () => resolve(ws));
  });
}

/** Sends `count` messages one after the other; records ms to the first stream frame and to is_final. */
function chat(ws, count, firstStream, final, byQuestion = new Map()) {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let started = 0;
    let sawStream = false;
    const next = () => {
      if (sent === count) return resolve();
      sent++;
      sawStream = false;
      started = performance.now();
      ws.send(QUESTIONS[sent % QUESTIONS.length]);
    };
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'error') return reject(new Error(frame.message));
      if (frame.type === 'stream' && !sawStream) {
        sawStream = true;
        firstStream.push(performance.now() - started);
      }
      if (frame.is_final) {
        const ms = performance.now() - started;
        final.push(ms);
        const question = QUESTIONS[sent % QUESTIONS.length];
        byQuestion.set(question, [...(byQuestion.get(question) ?? []), ms]);
        next();
      }
    });
    next();
  });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function main() {
  const app = await startApp({
    port: PORT,
    env: {
      WS_MESSAGES_PER_MINUTE: '100000',
      RATE_LIMIT_RPS: '1000000',
      RATE_LIMIT_BURST: '1000000',
      LOG_LEVEL: 'error',
    },
  });
  const agents = await (await fetch(`http://127.0.0.1:${PORT}/api/agents`)).json();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rssBefore = app.rssMb();

  const sockets = [];
  for (let i = 0; i < CLIENTS; i++) sockets.push(await connect(agents[i % agents.length].id));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssConnected = app.rssMb();

  // Warm-up: one message per client, not counted.
  await Promise.all(sockets.map((ws) => chat(ws, 1, [], [])));
  for (const ws of sockets) ws.removeAllListeners('message');

  const firstStream = [];
  const final = [];
  const byQuestion = new Map();
  const t0 = performance.now();
  await Promise.all(sockets.map((ws) => chat(ws, MESSAGES, firstStream, final, byQuestion)));
  const seconds = (performance.now() - t0) / 1000;
  const rssAfter = app.rssMb();

  console.log(
    `${CLIENTS} WebSocket clients x ${MESSAGES} messages to the offline agent (agents: ${agents.map((a) => a.id).join(', ')})`,
  );
  console.log(
    `  throughput: ${fmt(final.length / seconds, 0)} messages/s (${final.length} answers in ${fmt(seconds, 2)} s)`,
  );
  console.log(
    `  first stream frame: p50 ${fmt(percentile(firstStream, 50))} ms   p99 ${fmt(percentile(firstStream, 99))} ms`,
  );
  console.log(`  is_final:           p50 ${fmt(percentile(final, 50))} ms   p99 ${fmt(percentile(final, 99))} ms`);
  for (const [question, values] of byQuestion) {
    console.log(
      `    is_final for ${JSON.stringify(question)}: p50 ${fmt(percentile(values, 50))} ms   p99 ${fmt(percentile(values, 99))} ms`,
    );
  }
  console.log(
    `  RSS: ${fmt(rssBefore, 0)} MB before, ${fmt(rssConnected, 0)} MB with ${CLIENTS} idle connections ` +
      `(${fmt(((rssConnected - rssBefore) * 1024) / CLIENTS, 1)} KB per connection), ${fmt(rssAfter, 0)} MB after the run`,
  );

  for (const ws of sockets) ws.close();
  await app.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
