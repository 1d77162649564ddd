#!/usr/bin/env node
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { createJsonLogger, startTracing } from '@conexus/telemetry';
import { createPolicyScope } from './adapters/policy-scope.js';
import { SINGLE_USER_SCOPE } from './adapters/single-user-scope.js';
import { readQueryConfig } from './config.js';
import { startQueryService } from './query-service.js';

const log = createJsonLogger({ service: 'query' });
const tracing = startTracing('conexus-query', process.env);
try {
  const config = readQueryConfig(process.env);
  const bus = tracedBus(await connectNatsBus({ servers: config.natsUrl, name: 'query' }));
  const service = startQueryService({ bus, scope: config.auth === 'policy' ? createPolicyScope(bus) : SINGLE_USER_SCOPE, shardCount: config.shardCount, log });
  log.info('query started', { shards: config.shardCount, auth: config.auth });
  const stop = async (): Promise<void> => {
    await service.stop();
    await bus.close();
    await tracing.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
} catch (error) {
  log.error('query failed to start', { error });
  process.exit(1);
}
