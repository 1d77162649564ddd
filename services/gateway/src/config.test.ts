import { describe, expect, it } from '@jest/globals';
import { readGatewayConfig } from './config.js';

describe('gateway configuration', () => {
  it('allows running without authentication only on loopback', () => {
    expect(readGatewayConfig({ NATS_URL: 'nats://n:4222', CONEXUS_AUTH: 'none', CONEXUS_HOST: '127.0.0.1' }).auth).toBe(
      'none',
    );
    expect(() => readGatewayConfig({ NATS_URL: 'nats://n:4222', CONEXUS_AUTH: 'none' })).toThrow(
      /allowed only with CONEXUS_HOST on loopback/,
    );
  });

  it('answers only loopback Host names and origins on every route when there is no authentication', () => {
    const open = readGatewayConfig({ NATS_URL: 'nats://n:4222', CONEXUS_AUTH: 'none', CONEXUS_HOST: '127.0.0.1' });
    expect(open).toMatchObject({
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      allowedOrigins: ['localhost', '127.0.0.1', '[::1]'],
    });
    const oidc = readGatewayConfig({
      NATS_URL: 'nats://n:4222',
      CONEXUS_AUTH: 'oidc',
      OIDC_ISSUER: 'https://idp.example',
      OIDC_AUDIENCE: 'a',
      CONEXUS_ALLOWED_HOSTS: 'conexus.example',
    });
    expect(oidc).toMatchObject({ allowedHosts: ['conexus.example'], allowedOrigins: [] });
  });

  it('needs an issuer and an audience for OIDC, and names every bad variable at once', () => {
    expect(() =>
      readGatewayConfig({ NATS_URL: 'nats://n:4222', CONEXUS_AUTH: 'oidc', CONEXUS_AUDIT_QUERY: 'maybe' }),
    ).toThrow(/OIDC_ISSUER is required; OIDC_AUDIENCE is required; CONEXUS_AUDIT_QUERY must be one of text, hash/);
    const config = readGatewayConfig({
      NATS_URL: 'nats://n:4222',
      CONEXUS_AUTH: 'oidc',
      OIDC_ISSUER: 'https://idp.example',
      OIDC_AUDIENCE: 'https://conexus.example/api',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      audit: 'jetstream',
      oidc: { tenantClaim: 'tenant', groupsClaim: 'groups', allowInsecureHttp: false },
    });
  });

  it('derives the access lists, MCP access, OAuth resource and verifier audiences', () => {
    const open = readGatewayConfig({ NATS_URL: 'nats://n:4222', CONEXUS_AUTH: 'none', CONEXUS_HOST: '127.0.0.1' });
    expect(open).toMatchObject({
      access: 'none',
      oauth: null,
      verifier: null,
      mcp: null,
      hosts: { allowedHosts: ['localhost', '127.0.0.1', '[::1]'] },
    });
    const base = {
      NATS_URL: 'nats://n:4222',
      CONEXUS_AUTH: 'oidc',
      OIDC_ISSUER: 'https://idp.example',
      OIDC_AUDIENCE: 'https://conexus.example/api',
    };
    expect(readGatewayConfig(base)).toMatchObject({
      access: 'policy',
      hosts: null,
      oauth: {
        resource: 'https://conexus.example/api',
        mcpResource: 'https://conexus.example/api',
        issuer: 'https://idp.example',
      },
      verifier: { issuer: 'https://idp.example', audience: 'https://conexus.example/api', additionalAudiences: [] },
    });
    const published = readGatewayConfig({
      ...base,
      CONEXUS_PUBLIC_URL: 'https://conexus.example/',
      CONEXUS_MCP_HOSTS: 'conexus.example',
      CONEXUS_MCP_ORIGINS: 'claude.ai',
    });
    expect(published).toMatchObject({
      mcp: { allowedHosts: ['conexus.example'], allowedOrigins: ['claude.ai'] },
      oauth: { mcpResource: 'https://conexus.example/mcp' },
      verifier: { additionalAudiences: ['https://conexus.example/mcp'] },
    });
    expect(Object.isFrozen(published)).toBe(true);
  });

  it('serves TLS only with both a certificate and a key, and names a half-set pair with the other problems', () => {
    const base = { NATS_URL: 'nats://n:4222', CONEXUS_AUTH: 'none', CONEXUS_HOST: '127.0.0.1' };
    expect(readGatewayConfig(base).tls).toBeNull();
    expect(
      readGatewayConfig({ ...base, CONEXUS_TLS_CERT: '/tls/tls.crt', CONEXUS_TLS_KEY: '/tls/tls.key' }).tls,
    ).toEqual({ certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' });
    expect(() => readGatewayConfig({ ...base, CONEXUS_TLS_CERT: '/tls/tls.crt', CONEXUS_PORT: 'x' })).toThrow(
      /CONEXUS_TLS_CERT and CONEXUS_TLS_KEY must be set together, got only CONEXUS_TLS_CERT; CONEXUS_PORT must be an integer/,
    );
    expect(() => readGatewayConfig({ ...base, CONEXUS_TLS_KEY: '/tls/tls.key' })).toThrow(/got only CONEXUS_TLS_KEY/);
  });
});
