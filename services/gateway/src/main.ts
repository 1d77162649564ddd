#!/usr/bin/env node
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { openJetStreamAuditLog } from '@conexus/audit';
import { AUTHENTICATE_LOCAL_USER, createAuthenticator } from './adapters/auth/create-authenticator.js';
import { createTokenVerifier } from './adapters/oidc/create-token-verifier.js';
import { createJsonLogger, startTracing } from '@conexus/telemetry';
import { readGatewayConfig } from './config.js';
import { startGateway } from './gateway-service.js';

const log = createJsonLogger({ service: 'gateway' });
const tracing = startTracing('conexus-gateway', process.env);
try {
  const config = readGatewayConfig(process.env);
  const bus = tracedBus(await connectNatsBus({ servers: config.natsUrl, name: 'gateway' }));
  const hosts = config.allowedHosts.length > 0 ? { allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins } : null;
  const mcp = config.mcpHosts.length > 0 ? { allowedHosts: config.mcpHosts, allowedOrigins: config.mcpOrigins } : null;
  const mcpResource = config.oidc?.publicUrl ? `${config.oidc.publicUrl}/mcp` : config.oidc?.audience;
  const verifierOptions = config.oidc && { ...config.oidc, additionalAudiences: mcpResource && mcpResource !== config.oidc.audience ? [mcpResource] : [] };
  const authenticate = verifierOptions ? createAuthenticator({ bus, verifier: createTokenVerifier(verifierOptions) }) : AUTHENTICATE_LOCAL_USER;
  const audit = config.audit === 'jetstream' ? await openJetStreamAuditLog({ servers: config.natsUrl, maxAgeMs: config.auditRetentionDays * 86_400_000, name: 'gateway-audit' }) : null;
  const oauth = config.oidc ? { resource: config.oidc.audience, mcpResource: mcpResource!, issuer: config.oidc.issuer } : null;
  const gateway = await startGateway({ ...config, bus, log, authenticate, access: config.oidc ? 'policy' : 'none', audit, auditQuery: config.auditQuery, oauth, mcp, hosts });
  log.info('gateway started', { url: gateway.url, auth: config.auth });
  const stop = async (): Promise<void> => {
    await gateway.stop();
    await audit?.close();
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
