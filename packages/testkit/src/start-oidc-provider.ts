import { generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Client, default as Provider } from 'oidc-provider';
import { createMemoryAdapter } from './create-memory-adapter.js';
import { freePort } from './service-process.js';

/** Options of `startOidcProvider`; every field has a test-friendly default. */
export interface OidcProviderOptions {
  /** Loopback port to listen on (default: a free one); lets a test start a provider where a verifier already points. */
  port?: number;
  /** Address to listen on and name in the issuer URL (default 127.0.0.1); a test cluster's pods reach the host's bridge address. */
  host?: string;
  /** The resource indicator of the API, used as the access tokens' `aud` (default `https://conexus.test/api`). */
  audience?: string;
  /** The one registered client (default `conexus-test-client`). */
  clientId?: string;
}

/** What `accessToken` asks the provider to issue. */
export interface AccessTokenRequest {
  subject: string;
  /** Extra claims signed into the token (email, groups, roles, tenant, even `nbf`). */
  claims?: Record<string, unknown>;
  /** Lifetime from `issuedAtSec` (default 300). */
  expiresInSec?: number;
  /** Epoch seconds for `iat` (default now); a past value with a short lifetime issues an already-expired token. */
  issuedAtSec?: number;
  /** Another resource indicator for `aud` (default the provider's audience). */
  audience?: string;
  scope?: string;
  /** Overrides the header `typ` (default `at+jwt`), e.g. `application/at+jwt` or `JWT`. */
  typ?: string;
}

/** What `idToken` asks the provider to issue. */
export interface IdTokenRequest {
  subject: string;
  /** Claims the ID token carries (email, email_verified, groups, roles, tenant). */
  claims?: Record<string, unknown>;
}

/** A real OpenID provider (oidc-provider) on loopback HTTP, issuing RFC 9068 JWT access tokens. */
export interface OidcProvider {
  readonly issuer: string;
  readonly audience: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** An `at+jwt` access token for a user, signed by the provider's current key. */
  accessToken(request: AccessTokenRequest): Promise<string>;
  /** An OpenID Connect ID token (audience: the client id), signed by the provider's current key. */
  idToken(request: IdTokenRequest): Promise<string>;
  /** An access token from a real client_credentials grant at the token endpoint (subject: the client id). */
  clientCredentialsToken(): Promise<string>;
  /** How many requests reached the JWKS endpoint since start. */
  jwksRequests(): number;
  /** How many requests reached the discovery document since start. */
  discoveryRequests(): number;
  /** Signs with a fresh key from now on; the previous keys stay published unless `keepPrevious` is false. */
  rotateKeys(options?: { keepPrevious?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const SCOPE = 'openid email conexus';
const CLAIMS = { openid: ['sub'], email: ['email', 'email_verified'], conexus: ['tenant', 'groups', 'roles'] };

/** Starts a real OpenID provider on a loopback port, with one client and one JWT resource server. */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<OidcProvider> {
  const port = options.port ?? (await freePort());
  const host = options.host ?? '127.0.0.1';
  const issuer = `http://${host}:${port}`;
  const audience = options.audience ?? 'https://conexus.test/api';
  const clientId = options.clientId ?? 'conexus-test-client';
  const clientSecret = randomUUID();
  // why: oidc-provider is heavy and warns on import; loading it here spares tests that use the testkit for NATS only.
  const oidc = await import('oidc-provider');
  let keys = [signingKey()];
  const typs = new WeakMap<object, string>();
  const settings = { audience, clientId, clientSecret, typs };
  let provider = createProvider(oidc, issuer, keys, settings);
  let handle = provider.callback();
  const counts = { jwks: 0, discovery: 0 };
  const jwksPath = new URL(provider.urlFor('jwks')).pathname;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (path === jwksPath) counts.jwks += 1;
    // why: both metadata documents (openid-configuration, oauth-authorization-server) count as discovery.
    if (path.startsWith('/.well-known/')) counts.discovery += 1;
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  const client = async (): Promise<Client> => (await provider.Client.find(clientId))!;
  const resourceServer = (indicator: string): unknown =>
    new provider.ResourceServer(indicator, resourceServerInfo(indicator));

  return {
    issuer,
    audience,
    clientId,
    clientSecret,
    async accessToken({
      subject,
      claims,
      expiresInSec = 300,
      issuedAtSec,
      audience: aud = audience,
      scope = SCOPE,
      typ,
    }) {
      const iat = issuedAtSec ?? Math.floor(Date.now() / 1000);
      const token = new provider.AccessToken({
        accountId: subject,
        client: await client(),
        resourceServer: resourceServer(aud),
        scope,
        extra: claims,
        iat,
        exp: iat + expiresInSec,
      });
      if (typ !== undefined) typs.set(token, typ);
      return await token.save();
    },
    async idToken({ subject, claims }) {
      const token = new provider.IdToken({ ...claims, sub: subject }, { client: await client() });
      token.scope = SCOPE;
      return await token.issue({ use: 'idtoken' });
    },
    async clientCredentialsToken() {
      const response = await fetch(provider.urlFor('token'), {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: audience, scope: 'conexus' }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`client_credentials grant failed: ${body.error ?? response.status}`);
      return body.access_token;
    },
    jwksRequests: () => counts.jwks,
    discoveryRequests: () => counts.discovery,
    async rotateKeys({ keepPrevious = true } = {}) {
      // why: the provider's keystore is fixed at construction, so rotation swaps in a new provider behind the same
      // server and issuer, as a restarted provider with a new signing key would appear to relying parties.
      keys = keepPrevious ? [signingKey(), ...keys] : [signingKey()];
      provider = createProvider(oidc, issuer, keys, settings);
      handle = provider.callback();
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

interface ProviderSettings {
  audience: string;
  clientId: string;
  clientSecret: string;
  /** Header `typ` overrides, keyed by the access token model being saved. */
  typs: WeakMap<object, string>;
}

function createProvider(
  oidc: typeof import('oidc-provider'),
  issuer: string,
  keys: JsonWebKey[],
  config: ProviderSettings,
): Provider {
  const provider = new oidc.default(issuer, {
    adapter: createMemoryAdapter(),
    jwks: { keys },
    ttl: { AccessToken: 300, ClientCredentials: 300, IdToken: 300 },
    clients: [
      {
        client_id: config.clientId,
        client_secret: config.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    claims: CLAIMS,
    scopes: ['openid', 'email', 'conexus'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => config.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== config.audience) throw new oidc.errors.InvalidTarget();
          return resourceServerInfo(indicator);
        },
      },
    },
    formats: {
      customizers: {
        jwt: (_ctx: unknown, token: object, jwt: { header?: Record<string, unknown> }) => {
          const typ = config.typs.get(token);
          if (typ !== undefined) jwt.header = { ...jwt.header, typ };
        },
      },
    },
    // why: the claims a test asks for are the ones the provider signs into the access token.
    extraTokenClaims: (_ctx: unknown, token: { extra?: Record<string, unknown> }) => token.extra,
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
  });
  // why: Koa logs every server error to stderr; tests assert on responses instead.
  provider.on('error', () => undefined);
  return provider;
}

function resourceServerInfo(indicator: string): {
  audience: string;
  scope: string;
  accessTokenFormat: 'jwt';
  accessTokenTTL: number;
} {
  return { audience: indicator, scope: SCOPE, accessTokenFormat: 'jwt', accessTokenTTL: 300 };
}

function signingKey(): JsonWebKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
