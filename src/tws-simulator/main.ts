import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load-config';
import { ConfigValidationError } from '../config/config.errors';
import { TwsSimulator } from './tws-simulator';

/**
 * `npm run tws:simulator`: the HWA simulator on its own, configured like the client that will
 * talk to it — TWS_PORT, TWS_USER/TWS_PASSWORD and/or TWS_API_KEY, TWS_SIMULATOR_*. It serves
 * HTTP, or HTTPS when TWS_SIMULATOR_TLS_FILES is "key.pem,cert.pem".
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const { tws } = config;
  const tlsFiles = tws.simulator.tlsFiles;
  const simulator = new TwsSimulator({
    ...tws.simulator,
    user: tws.credentials.user,
    password: tws.credentials.password,
    apiKey: tws.credentials.apiKey,
    tls: tlsFiles ? { key: readFileSync(tlsFiles.key, 'utf8'), cert: readFileSync(tlsFiles.cert, 'utf8') } : undefined,
  });
  await simulator.start(tws.port, config.app.host);
  const auth = tws.credentials.apiKey || tws.credentials.user ? 'credentials required' : 'no authentication';
  console.log(`HWA simulator (seed ${tws.simulator.seed}, ${tws.simulator.jobs} jobs, ${auth}) at ${simulator.url}/twsd/api/v2`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void simulator.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('HWA simulator failed to start:', error);
  process.exit(1);
});
