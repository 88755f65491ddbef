import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { TwsSettings } from '../config/sections/tws.section';
import { TwsSimulator } from '../tws-simulator/tws-simulator';
import { HwaTwsClient, type TwsClientObserver, type TwsEndpoint } from './hwa-tws-client';

/**
 * The HWA client and, in the embedded mode (TWS_HOST unset), the simulator it talks to on
 * loopback — the same client and HTTP path as against a real master, never a mock.
 */
export class TwsUpstream implements OnApplicationShutdown {
  private constructor(
    readonly client: HwaTwsClient,
    readonly endpoint: TwsEndpoint,
    readonly simulator?: TwsSimulator,
  ) {}

  static async open(settings: TwsSettings, observer: TwsClientObserver): Promise<TwsUpstream> {
    const logger = new Logger('Tws');
    const options = {
      timeoutMs: settings.timeoutMs,
      retryAttempts: settings.retryAttempts,
      retryBaseDelayMs: settings.retryBaseDelayMs,
      circuitThreshold: settings.circuitThreshold,
      circuitResetMs: settings.circuitResetMs,
      pageSize: settings.pageSize,
      maxPlanObjects: settings.maxPlanObjects,
    };
    if (!settings.host) {
      const apiKey = randomBytes(24).toString('base64url');
      const simulator = await new TwsSimulator({ ...settings.simulator, apiKey }).start(0, '127.0.0.1');
      const endpoint: TwsEndpoint = { baseUrl: simulator.url, credentials: { apiKey }, verifyTls: true };
      logger.log(
        `TWS_HOST is unset: HWA simulator (seed ${settings.simulator.seed}, ${settings.simulator.jobs} jobs) serving on ${simulator.url}`,
      );
      return new TwsUpstream(new HwaTwsClient(endpoint, options, observer), endpoint, simulator);
    }
    if (settings.protocol === 'https' && !settings.verifyTls) {
      logger.warn(
        'TWS_VERIFY_TLS=false: the HWA master certificate is NOT verified; anyone on the path can read the TWS credentials. Prefer TWS_CA_FILE.',
      );
    }
    if (!settings.credentials.apiKey && !settings.credentials.user)
      logger.warn('Neither TWS_API_KEY nor TWS_USER is set: HWA will answer 401');
    const ca = settings.caFile ? await readFile(settings.caFile, 'utf8') : undefined;
    const endpoint: TwsEndpoint = {
      baseUrl: `${settings.protocol}://${settings.host}:${settings.port}`,
      credentials: settings.credentials,
      ca,
      verifyTls: settings.verifyTls,
    };
    logger.log(`HWA master at ${endpoint.baseUrl}`);
    return new TwsUpstream(new HwaTwsClient(endpoint, options, observer), endpoint);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
    await this.simulator?.stop();
  }
}
