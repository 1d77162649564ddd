#!/usr/bin/env node
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { runService } from '@conexus/service-config';
import { createPolicyScope } from './adapters/policy-scope.js';
import { SINGLE_USER_SCOPE } from './adapters/single-user-scope.js';
import { readQueryConfig } from './config.js';
import { startQueryService } from './query-service.js';

await runService({
  name: 'query',
  readConfig: readQueryConfig,
  health: (config) => config.health,
  start: async (config, { log }) => {
    const nats = await connectNatsBus({ servers: config.natsUrl, name: 'query' });
    const bus = tracedBus(nats);
    const service = startQueryService({
      bus,
      scope: config.auth === 'policy' ? createPolicyScope(bus) : SINGLE_USER_SCOPE,
      shardCount: config.shardCount,
      log,
    });
    log.info('query started', { shards: config.shardCount, auth: config.auth });
    return {
      ready: () => nats.connected(),
      async stop() {
        await service.stop();
        await bus.close();
      },
    };
  },
});
