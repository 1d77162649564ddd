#!/usr/bin/env node
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { LOCAL_USER } from '@conexus/access';
import { createJsonLogger, startTracing } from '@conexus/telemetry';
import { readGatewayConfig } from './config.js';
import { startGateway } from './gateway-service.js';

const log = createJsonLogger({ service: 'gateway' });
const tracing = startTracing('conexus-gateway', process.env);
try {
  const config = readGatewayConfig(process.env);
  const bus = tracedBus(await connectNatsBus({ servers: config.natsUrl, name: 'gateway' }));
  const mcp = config.mcpHosts.length > 0 ? { allowedHosts: config.mcpHosts, allowedOrigins: config.mcpOrigins } : null;
  const gateway = await startGateway({ ...config, bus, log, principalOf: () => LOCAL_USER, mcp });
  log.info('gateway started', { url: gateway.url, auth: config.auth });
  const stop = async (): Promise<void> => {
    await gateway.stop();
    await bus.close();
    await tracing.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
} catch (error) {
  log.error('gateway failed to start', { error });
  process.exit(1);
}
