import { loadConfig } from '../config/load-config';
import { ConfigValidationError } from '../config/config.errors';
import { startStandaloneSimulator } from './standalone';

/** `npm run tws:simulator`: the HWA simulator on its own (see `startStandaloneSimulator`). */
async function main(): Promise<void> {
  const config = loadConfig();
  const { tws } = config;
  const simulator = await startStandaloneSimulator(config);
  const auth = tws.credentials.apiKey || tws.credentials.user ? 'credentials required' : 'no authentication';
  console.log(
    `HWA simulator (seed ${tws.simulator.seed}, ${tws.simulator.jobs} jobs, ${auth}) at ${simulator.url}/twsd/api/v2`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void simulator.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('HWA simulator failed to start:', error);
  process.exit(1);
});
