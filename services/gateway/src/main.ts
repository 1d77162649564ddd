#!/usr/bin/env node
import { connectNatsBus } from '@conexus/bus';
import { LOCAL_USER } from '@conexus/query';
import { createJsonLogger } from '@conexus/telemetry';
import { readGatewayConfig } from './config.js';
import { startGateway } from './gateway-service.js';

const log = createJsonLogger({ service: 'gateway' });
try {
  const config = readGatewayConfig(process.env);
  const bus = await connectNatsBus({ servers: config.natsUrl, name: 'gateway' });
  const gateway = await startGateway({ ...config, bus, log, principalOf: () => LOCAL_USER });
  log.info('gateway started', { url: gateway.url, auth: config.auth });
  const stop = async (): Promise<void> => {
    await gateway.stop();
    await bus.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
} catch (error) {
  log.error('gateway failed to start', { error });
  process.exit(1);
}
