#!/usr/bin/env node
import { openJetStreamAuditLog } from '@conexus/audit';
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { runService } from '@conexus/service-config';
import { createCasbinDecider } from './adapters/casbin/create-casbin-decider.js';
import { openKvPolicyStore } from './adapters/nats-kv/open-kv-policy-store.js';
import { createPolicyApp } from './app/create-policy-app.js';
import { readPolicyConfig } from './config.js';
import { startPolicyService } from './policy-service.js';

await runService({
  name: 'policy',
  readConfig: readPolicyConfig,
  health: (config) => config.health,
  start: async (config, { log }) => {
    const nats = await connectNatsBus({ servers: config.natsUrl, name: 'policy' });
    const bus = tracedBus(nats);
    // why: the gateway sets the audit stream's retention; the policy service only appends to it.
    const audit =
      config.audit === 'jetstream'
        ? await openJetStreamAuditLog({ servers: config.natsUrl, name: 'policy-audit' })
        : null;
    const store = await openKvPolicyStore({ servers: config.natsUrl, replicas: config.kvReplicas });
    const app = await createPolicyApp({
      store,
      buildDecider: createCasbinDecider,
      adminRole: config.adminRole,
      onChange: async (change) => {
        log.info('policy changed', {
          action: change.action,
          tenant: change.tenant,
          by: `${change.by.issuer}#${change.by.subject}`,
          ...change.detail,
        });
        await audit?.append({
          kind: 'policy_change',
          at: new Date().toISOString(),
          principal: change.by,
          outcome: 'ok',
          detail: { action: change.action, ...change.detail },
        });
      },
      onReload: (entries) => log.info('policy reloaded', { entries }),
      onReloadFailed: (error) => log.error('policy reload failed; the previous policy stays in force', { error }),
    });
    const service = startPolicyService({ bus, app, log });
    log.info('policy started', { entries: store.entries().size, adminRole: config.adminRole });
    return {
      ready: () => nats.connected(),
      async stop() {
        await service.stop();
        await app.close();
        await store.close();
        await audit?.close();
        await bus.close();
      },
    };
  },
});
