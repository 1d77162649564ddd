import type { Principal } from '@conexus/access';
import { ConexusError } from '@conexus/kernel';
import { jwtVerify } from 'jose';
import { createIssuerKeys } from './create-issuer-keys.js';
import { readCallerClaims } from './read-caller-claims.js';

/** Checks a bearer access token and says who presented it (keyed on issuer and subject, never an email), or throws `unauthenticated`. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** Options of `createTokenVerifier`; only `issuer` and `audience` are required. */
export interface TokenVerifierOptions {
  /** The trusted issuer's identifier; its metadata is discovered from it. */
  readonly issuer: string;
  /** The gateway's resource identifier, which tokens must name in `aud`. */
  readonly audience: string;
  /** Other resource ids a token may name instead, such as the MCP endpoint's URL (RFC 8707 resource indicators). */
  readonly additionalAudiences?: readonly string[];
  /** Accepted signature algorithms (default RS256, PS256, ES256, EdDSA); symmetric ones and `none` are refused. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat` (default 30). */
  readonly clockToleranceSec?: number;
  /** Claim names (literal, or a dotted path into nested claims); defaults `tenant`, `groups`, `roles`. */
  readonly tenantClaim?: string;
  readonly groupsClaim?: string;
  readonly rolesClaim?: string;
  /** The tenant of tokens without a tenant claim; without it such tokens are refused. */
  readonly defaultTenant?: string;
  /** The least time between two JWKS fetches caused by unknown key ids (default 30 000). */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are used before a refetch (default 600 000). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Timeout of discovery and JWKS requests (default 5 000). */
  readonly timeoutMs?: number;
  /** The least time between discovery attempts after one failed (default 5 000). */
  readonly discoveryRetryMs?: number;
  /** Accepts an http issuer and jwks_uri; for tests against a loopback provider only. */
  readonly allowInsecureHttp?: boolean;
}

const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const ASYMMETRIC = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
// why: a bearer token is a few KiB at most; parsing megabytes of attacker input is wasted work.
const MAX_TOKEN_LENGTH = 16_384;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Creates a verifier of RFC 9068 JWT access tokens from one OpenID provider; it does no I/O until the first token. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const refused = algorithms.filter((alg) => !ASYMMETRIC.has(alg));
  if (refused.length > 0 || algorithms.length === 0) {
    throw new ConexusError(
      'invalid_argument',
      `token algorithms must be asymmetric signatures, got: ${refused.join(', ') || 'none'}`,
    );
  }
  const issuerUrl = parseIssuer(options.issuer, options.allowInsecureHttp ?? false);
  if (!options.audience) throw new ConexusError('invalid_argument', 'token audience is required');
  assertDurations(options);
  const clockTolerance = options.clockToleranceSec ?? 30;
  const names = {
    tenant: options.tenantClaim ?? 'tenant',
    groups: options.groupsClaim ?? 'groups',
    roles: options.rolesClaim ?? 'roles',
    defaultTenant: options.defaultTenant,
  };
  const issuerKeys = createIssuerKeys({
    issuer: issuerUrl,
    clientId: options.audience,
    allowInsecureHttp: options.allowInsecureHttp ?? false,
    cooldownMs: options.jwksCooldownMs ?? 30_000,
    cacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? 600_000,
    timeoutMs: options.timeoutMs ?? 5_000,
    discoveryRetryMs: options.discoveryRetryMs ?? 5_000,
  });

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) {
        throw new ConexusError('unauthenticated', 'malformed token');
      }
      const { issuer, keys } = await issuerKeys();
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          issuer,
          audience: [options.audience, ...(options.additionalAudiences ?? [])],
          algorithms,
          clockTolerance,
          // why: RFC 9068 typ keeps ID tokens and other JWTs from the same issuer from passing as access tokens.
          typ: 'at+jwt',
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        // why: no cause is kept; jose's claim errors carry the whole payload, which must not reach logs.
        const reason = reasonOf(error);
        throw new ConexusError(reason === 'signing keys unavailable' ? 'unavailable' : 'unauthenticated', reason);
      }
      const { sub, iat } = claims;
      if (typeof sub !== 'string' || sub === '') throw new ConexusError('unauthenticated', 'malformed sub claim');
      if (typeof iat !== 'number' || iat > Date.now() / 1000 + clockTolerance) {
        throw new ConexusError('unauthenticated', 'token issued in the future');
      }
      return { issuer, subject: sub, ...readCallerClaims(claims, names) };
    },
  };
}

const DURATIONS = [
  'clockToleranceSec',
  'jwksCooldownMs',
  'jwksCacheMaxAgeMs',
  'timeoutMs',
  'discoveryRetryMs',
] as const;

function assertDurations(options: TokenVerifierOptions): void {
  const bad = DURATIONS.filter((name) => {
    const value = options[name];
    return value !== undefined && !(Number.isFinite(value) && value >= 0);
  });
  if (bad.length > 0)
    throw new ConexusError(
      'invalid_argument',
      `token verifier options must be non-negative numbers: ${bad.join(', ')}`,
    );
}

function parseIssuer(issuer: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConexusError('invalid_argument', 'token issuer must be a URL');
  }
  if (url.protocol !== 'https:' && !(allowInsecureHttp && url.protocol === 'http:')) {
    throw new ConexusError('invalid_argument', 'token issuer must be an https URL');
  }
  return url;
}

/** A short reason for a jose failure, naming the check but never the token's contents. */
function reasonOf(error: unknown): string {
  const { code, claim } = error as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'typ' ? 'not an access token (typ)' : `invalid ${claim ?? 'claims'}`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'algorithm not allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown signing key';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'signing keys unavailable';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed token';
    default:
      // why: fetch() reports a refused or reset JWKS connection as a bare TypeError.
      return error instanceof TypeError && error.message.includes('fetch')
        ? 'signing keys unavailable'
        : 'invalid token';
  }
}
