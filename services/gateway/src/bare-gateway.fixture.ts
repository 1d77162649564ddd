import { afterAll, beforeAll } from '@jest/globals';
import { createInProcessBus } from '@conexus/bus';
import { SILENT_LOGGER } from '@conexus/telemetry';
import { AUTHENTICATE_LOCAL_USER } from './adapters/auth/create-authenticator.js';
import { startGateway, type Gateway, type GatewayOptions } from './gateway-service.js';

/** The gateway's edge alone: what a test reads of the gateway that `useBareGateway` started. */
export type BareGateway = Pick<Gateway, 'url' | 'port' | 'paths'>;

/**
 * A gateway on loopback over an in-process bus with nothing behind it (no query service, no indexer), without
 * authentication, for one test file: started in beforeAll, stopped in afterAll. Options override the defaults.
 */
export function useBareGateway(options: Partial<GatewayOptions> = {}): BareGateway {
  const bus = createInProcessBus();
  let gateway: Gateway | undefined;
  const started = (): Gateway => {
    if (!gateway) throw new Error('useBareGateway: the gateway is only there inside tests and hooks, after beforeAll');
    return gateway;
  };
  beforeAll(async () => {
    gateway = await startGateway({
      bus,
      shardCount: 1,
      port: 0,
      host: '127.0.0.1',
      authenticate: AUTHENTICATE_LOCAL_USER,
      access: 'none',
      log: SILENT_LOGGER,
      ...options,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await bus.close();
  });
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get paths() {
      return started().paths;
    },
  };
}
