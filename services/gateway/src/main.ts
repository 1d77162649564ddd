#!/usr/bin/env node
import { openJetStreamAuditLog } from '@conexus/audit';
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { runService } from '@conexus/service-config';
import { AUTHENTICATE_LOCAL_USER, createAuthenticator } from './adapters/auth/create-authenticator.js';
import { createTokenVerifier } from './adapters/oidc/create-token-verifier.js';
import { readGatewayConfig } from './config.js';
import { startGateway } from './gateway-service.js';

await runService({
  name: 'gateway',
  readConfig: readGatewayConfig,
  start: async (config, { log }) => {
    const bus = tracedBus(await connectNatsBus({ servers: config.natsUrl, name: 'gateway' }));
    const authenticate = config.verifier
      ? createAuthenticator({ bus, verifier: createTokenVerifier(config.verifier) })
      : AUTHENTICATE_LOCAL_USER;
    const audit =
      config.audit === 'jetstream'
        ? await openJetStreamAuditLog({
            servers: config.natsUrl,
            maxAgeMs: config.auditRetentionDays * 86_400_000,
            name: 'gateway-audit',
          })
        : null;
    const gateway = await startGateway({ ...config, bus, log, authenticate, audit });
    log.info('gateway started', { url: gateway.url, auth: config.auth });
    return {
      async stop() {
        await gateway.stop();
        await audit?.close();
        await bus.close();
      },
    };
  },
});
