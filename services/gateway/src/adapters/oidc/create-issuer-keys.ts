import { ConexusError } from '@conexus/kernel';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { allowInsecureRequests, discovery } from 'openid-client';

/** How to find and cache an issuer's signing keys. */
export interface IssuerKeysOptions {
  readonly issuer: URL;
  /** Only names the relying party to openid-client; the gateway never acts as a client. */
  readonly clientId: string;
  readonly allowInsecureHttp: boolean;
  /** The least time between two JWKS fetches triggered by unknown key ids. */
  readonly cooldownMs: number;
  /** How long fetched keys are trusted before they are fetched again. */
  readonly cacheMaxAgeMs: number;
  readonly timeoutMs: number;
  /** The least time between two discovery attempts after one failed. */
  readonly discoveryRetryMs: number;
}

/** An issuer's exact identifier (as its metadata spells it) and a resolver of its signing keys. */
export interface IssuerKeys {
  readonly issuer: string;
  readonly keys: JWTVerifyGetKey;
}

/**
 * Returns a function that discovers the issuer's metadata on first use, caches it, and retries after a failure.
 * why: the gateway must start while its identity provider is down; discovery waits for the first token.
 */
export function createIssuerKeys(options: IssuerKeysOptions): () => Promise<IssuerKeys> {
  let found: Promise<IssuerKeys> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (found) return found;
    // why: a burst of requests while the provider is down must not become a burst of discovery requests.
    if (Date.now() - failedAt < options.discoveryRetryMs) return Promise.reject(unavailable());
    found = discover(options).catch((cause: unknown) => {
      found = undefined;
      failedAt = Date.now();
      throw unavailable(cause);
    });
    return found;
  };
}

async function discover(options: IssuerKeysOptions): Promise<IssuerKeys> {
  const config = await discovery(options.issuer, options.clientId, undefined, undefined, {
    execute: options.allowInsecureHttp ? [allowInsecureRequests] : [],
    timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
  });
  const metadata = config.serverMetadata();
  if (!metadata.jwks_uri) throw new Error('issuer metadata has no jwks_uri');
  const jwksUri = new URL(metadata.jwks_uri);
  if (jwksUri.protocol !== 'https:' && !options.allowInsecureHttp) throw new Error('jwks_uri is not https');
  const keys = createRemoteJWKSet(jwksUri, {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    timeoutDuration: options.timeoutMs,
  });
  return { issuer: metadata.issuer, keys };
}

function unavailable(cause?: unknown): ConexusError {
  // why: the provider being down is not the caller's fault; 503 tells clients to retry rather than to sign in again.
  return new ConexusError('unavailable', 'issuer metadata unavailable', cause === undefined ? undefined : { cause });
}
