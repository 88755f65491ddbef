import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/config.errors';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  const logger = new Logger('Bootstrap');

  // Nest's own hooks close the server (in-flight requests finish) and then the stores; this
  // only bounds how long that may take.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: draining (at most ${config.app.shutdownTimeoutMs} ms)`);
      setTimeout(() => {
        logger.error('Shutdown deadline passed; exiting with requests still open');
        process.exit(1);
      }, config.app.shutdownTimeoutMs).unref();
    });
  }

  await app.listen(config.app.port, config.app.host);
  logger.log(`Resync listening on http://${config.app.host}:${config.app.port} (API docs at /api/docs)`);
}

bootstrap().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: print them plainly, no stack.
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('Resync failed to start:', error);
  process.exit(1);
});
