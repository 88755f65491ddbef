import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config';
import { TwsSimulator } from './tws-simulator';

/**
 * The simulator as `npm run tws:simulator` runs it, configured like the client that will talk to
 * it: TWS_PORT, TWS_USER/TWS_PASSWORD and/or TWS_API_KEY, TWS_SIMULATOR_*; HTTPS when
 * TWS_SIMULATOR_TLS_FILES is "key.pem,cert.pem". Listens on HOST.
 */
export async function startStandaloneSimulator(config: AppConfig): Promise<TwsSimulator> {
  const { tws } = config;
  const tlsFiles = tws.simulator.tlsFiles;
  const simulator = new TwsSimulator({
    ...tws.simulator,
    user: tws.credentials.user,
    password: tws.credentials.password,
    apiKey: tws.credentials.apiKey,
    tls: tlsFiles ? { key: readFileSync(tlsFiles.key, 'utf8'), cert: readFileSync(tlsFiles.cert, 'utf8') } : undefined,
  });
  return simulator.start(tws.port, config.app.host);
}
