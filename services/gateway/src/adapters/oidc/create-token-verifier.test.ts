import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createPublicKey, randomUUID, type JsonWebKey } from 'node:crypto';
import { inspect } from 'node:util';
import { ConexusError } from '@conexus/kernel';
import { freePort, startOidcProvider, type OidcProvider } from '@conexus/testkit';
import { generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './create-token-verifier.js';

const ALICE = { email: 'alice@example.com', tenant: 'acme', groups: ['eng', 'search'], roles: ['reader', 'indexer'] };

let idp: OidcProvider;
let otherIdp: OidcProvider;
let verifier: TokenVerifier;

function verifierFor(provider: OidcProvider, options: Partial<TokenVerifierOptions> = {}): TokenVerifier {
  return createTokenVerifier({
    issuer: provider.issuer,
    audience: provider.audience,
    allowInsecureHttp: true,
    discoveryRetryMs: 0,
    ...options,
  });
}

/** Verifies a token that must be refused, and returns the error after checking it leaks nothing of the token. */
async function refusal(
  token: string,
  by: TokenVerifier = verifier,
  expected: ConexusError['code'] = 'unauthenticated',
): Promise<ConexusError> {
  const error = await by.verify(token).then(
    () => new Error('token was accepted'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConexusError);
  const { code, message, cause } = error as ConexusError;
  expect(code).toBe(expected);
  const secrets = [ALICE.email, ...token.split('.').filter((part) => part.length > 16)];
  for (const text of [message, inspect(cause, { depth: 8 })])
    for (const secret of secrets) expect(text).not.toContain(secret);
  return error as ConexusError;
}

function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
// Everything fake timers could replace except Date.
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

async function publicJwk(provider: OidcProvider): Promise<JWK> {
  const { keys } = (await (await fetch(`${provider.issuer}/jwks`)).json()) as { keys: JWK[] };
  return keys[0]!;
}

beforeAll(async () => {
  [idp, otherIdp] = await Promise.all([startOidcProvider(), startOidcProvider()]);
  verifier = verifierFor(idp);
});

afterAll(async () => {
  await Promise.all([idp?.stop(), otherIdp?.stop()]);
});

describe('createTokenVerifier with valid tokens', () => {
  it('returns the caller keyed on issuer and subject, with tenant, groups and roles from the claims', async () => {
    const token = await idp.accessToken({ subject: 'alice', claims: ALICE });
    expect(decode(token).header.typ).toBe('at+jwt');
    await expect(verifier.verify(token)).resolves.toEqual({
      issuer: idp.issuer,
      subject: 'alice',
      tenant: 'acme',
      groups: ['eng', 'search'],
      roles: ['reader', 'indexer'],
    });
  });

  it('accepts a token from the real client_credentials grant, using the default tenant', async () => {
    const token = await idp.clientCredentialsToken();
    const caller = await verifierFor(idp, { defaultTenant: 'machines' }).verify(token);
    expect(caller).toEqual({ issuer: idp.issuer, subject: idp.clientId, tenant: 'machines', groups: [], roles: [] });
    expect((await refusal(token)).message).toBe('token carries no tenant');
  });

  it('reads configured and nested claim names', async () => {
    const claims = { org: { id: 'acme' }, realm_access: { roles: ['admin'] }, 'https://conexus.dev/teams': ['search'] };
    const token = await idp.accessToken({ subject: 'alice', claims });
    const custom = verifierFor(idp, {
      tenantClaim: 'org.id',
      rolesClaim: 'realm_access.roles',
      groupsClaim: 'https://conexus.dev/teams',
    });
    await expect(custom.verify(token)).resolves.toMatchObject({ tenant: 'acme', groups: ['search'], roles: ['admin'] });
  });

  it('accepts the media-type spelling application/at+jwt', async () => {
    const token = await idp.accessToken({ subject: 'alice', claims: ALICE, typ: 'application/at+jwt' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('tolerates clock skew within the tolerance', async () => {
    const recentlyExpired = await idp.accessToken({
      subject: 'alice',
      claims: ALICE,
      issuedAtSec: now() - 70,
      expiresInSec: 60,
    });
    const soonValid = await idp.accessToken({ subject: 'alice', claims: { ...ALICE, nbf: now() + 10 } });
    await expect(verifier.verify(recentlyExpired)).resolves.toMatchObject({ subject: 'alice' });
    await expect(verifier.verify(soonValid)).resolves.toMatchObject({ subject: 'alice' });
    expect((await refusal(recentlyExpired, verifierFor(idp, { clockToleranceSec: 0 }))).message).toBe('token expired');
  });
});

describe('createTokenVerifier against token attacks', () => {
  it('refuses alg "none", with or without a signature part', async () => {
    const { header, payload } = decode(await idp.accessToken({ subject: 'alice', claims: ALICE }));
    const unsigned = `${encode({ ...header, alg: 'none' })}.${encode(payload)}`;
    await refusal(`${unsigned}.`);
    expect((await refusal(`${unsigned}.${encode('x')}`)).message).toBe('algorithm not allowed');
  });

  it('refuses HS256 tokens keyed with the provider public key (PEM or JWK)', async () => {
    const jwk = await publicJwk(idp);
    const pem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const { payload } = decode(await idp.accessToken({ subject: 'alice', claims: ALICE }));
    for (const secret of [pem, JSON.stringify(jwk), jwk.n!]) {
      const forged = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid })
        .sign(new TextEncoder().encode(secret));
      expect((await refusal(forged)).message).toBe('algorithm not allowed');
    }
  });

  it('refuses to be configured with symmetric algorithms, none, bad durations or an http issuer', () => {
    const thrown = (create: () => unknown): unknown => {
      try {
        create();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const algorithms of [['HS256'], ['RS256', 'none'], []]) {
      expect(thrown(() => verifierFor(idp, { algorithms }))).toMatchObject({ code: 'invalid_argument' });
    }
    expect(thrown(() => verifierFor(idp, { clockToleranceSec: -1, jwksCooldownMs: Number.NaN }))).toMatchObject({
      code: 'invalid_argument',
      message: 'token verifier options must be non-negative numbers: clockToleranceSec, jwksCooldownMs',
    });
    expect(thrown(() => createTokenVerifier({ issuer: idp.issuer, audience: idp.audience }))).toMatchObject({
      code: 'invalid_argument',
      message: 'token issuer must be an https URL',
    });
  });

  it('refuses a token from another issuer, even one forged to name the trusted issuer', async () => {
    const foreign = await otherIdp.accessToken({ subject: 'alice', claims: ALICE });
    expect((await refusal(foreign)).message).toBe('unknown signing key');
    const { header, payload } = decode(foreign);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...payload, iss: idp.issuer })
      .setProtectedHeader({ ...header, alg: 'RS256' })
      .sign(privateKey);
    expect((await refusal(forged)).message).toBe('unknown signing key');
  });

  it('refuses a token for another audience', async () => {
    const token = await idp.accessToken({ subject: 'alice', claims: ALICE, audience: 'https://other.test/api' });
    expect((await refusal(token)).message).toBe('invalid aud');
  });

  it('accepts a token for the MCP endpoint when that resource is configured as an additional audience', async () => {
    const token = await idp.accessToken({ subject: 'alice', claims: ALICE, audience: 'https://conexus.test/mcp' });
    expect((await refusal(token)).message).toBe('invalid aud');
    const verified = await verifierFor(idp, { additionalAudiences: ['https://conexus.test/mcp'] }).verify(token);
    expect(verified.subject).toBe('alice');
  });

  it('refuses expired tokens and tokens not yet valid or issued in the future beyond the tolerance', async () => {
    const expired = await idp.accessToken({
      subject: 'alice',
      claims: ALICE,
      issuedAtSec: now() - 3600,
      expiresInSec: 600,
    });
    expect((await refusal(expired)).message).toBe('token expired');
    const notYet = await idp.accessToken({ subject: 'alice', claims: { ...ALICE, nbf: now() + 120 } });
    expect((await refusal(notYet)).message).toBe('invalid nbf');
    const future = await idp.accessToken({ subject: 'alice', claims: ALICE, issuedAtSec: now() + 600 });
    expect((await refusal(future)).message).toBe('token issued in the future');
  });

  it('refuses an ID token presented as an access token, even where its audience would match', async () => {
    const idToken = await idp.idToken({ subject: 'alice', claims: ALICE });
    expect(decode(idToken).payload.aud).toBe(idp.clientId);
    await refusal(idToken);
    // why: a gateway whose resource id equals the client id would accept the audience; only typ tells them apart.
    expect((await refusal(idToken, verifierFor(idp, { audience: idp.clientId }))).message).toBe(
      'not an access token (typ)',
    );
    const plainJwt = await idp.accessToken({ subject: 'alice', claims: ALICE, typ: 'JWT' });
    expect((await refusal(plainJwt)).message).toBe('not an access token (typ)');
  });

  it('keys principals on issuer and subject, so the same email (or subject) at a second issuer is someone else', async () => {
    const mallory = await otherIdp.accessToken({ subject: 'mallory', claims: ALICE });
    await refusal(mallory);
    const viaOther = verifierFor(otherIdp);
    const [alice, impostor, sameSubject] = await Promise.all([
      verifier.verify(await idp.accessToken({ subject: 'alice', claims: ALICE })),
      viaOther.verify(mallory),
      viaOther.verify(await otherIdp.accessToken({ subject: 'alice', claims: ALICE })),
    ]);
    expect(impostor).toMatchObject({ issuer: otherIdp.issuer, subject: 'mallory' });
    expect(sameSubject.issuer).not.toBe(alice.issuer);
    expect(sameSubject).not.toEqual(alice);
    expect(Object.keys(alice)).not.toContain('email');
  });

  it('refuses malformed and oversized tokens without contacting the provider', async () => {
    const fresh = verifierFor(idp);
    const before = idp.discoveryRequests();
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', `${'a'.repeat(20_000)}.b.c`]) await refusal(token, fresh);
    expect(idp.discoveryRequests()).toBe(before);
  });
});

describe('createTokenVerifier and the JWKS endpoint', () => {
  async function unknownKidTokens(provider: OidcProvider, count: number): Promise<string[]> {
    const { privateKey } = await generateKeyPair('RS256');
    const { payload } = decode(await provider.accessToken({ subject: 'alice', claims: ALICE }));
    return await Promise.all(
      Array.from({ length: count }, () =>
        new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: randomUUID() }).sign(privateKey),
      ),
    );
  }

  it('fetches the keys once for a concurrent storm of 200 unknown key ids', async () => {
    const storm = await unknownKidTokens(idp, 200);
    const fresh = verifierFor(idp);
    const before = idp.jwksRequests();
    const errors = await Promise.all(storm.map((token) => refusal(token, fresh)));
    expect(new Set(errors.map((error) => error.message))).toEqual(new Set(['unknown signing key']));
    expect(idp.jwksRequests() - before).toBeLessThanOrEqual(2);
    await expect(fresh.verify(await idp.accessToken({ subject: 'alice', claims: ALICE }))).resolves.toMatchObject({
      subject: 'alice',
    });
    expect(idp.jwksRequests() - before).toBeLessThanOrEqual(2);
  });

  it('refetches at most once per cooldown during a sustained storm', async () => {
    const cooldownMs = 200;
    const storm = await unknownKidTokens(idp, 200);
    const fresh = verifierFor(idp, { jwksCooldownMs: cooldownMs });
    const before = idp.jwksRequests();
    const started = Date.now();
    for (const [index, token] of storm.entries()) {
      await refusal(token, fresh);
      if (index % 20 === 19) await sleep(40);
    }
    const bound = Math.ceil((Date.now() - started) / cooldownMs) + 1;
    expect(idp.jwksRequests() - before).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(50);
  });

  it('picks up a rotated signing key after the cooldown, and keeps accepting the previous one', async () => {
    const cooldownMs = 1_500;
    const rotating = await startOidcProvider();
    // why: only Date is faked (I/O and timers stay real), so the cooldown runs on a clock the test moves, not on
    // how fast a loaded machine gets from one step to the next; the clock stands still until the test moves it.
    jest.useFakeTimers({ now: Date.now(), doNotFake: [...REAL_TIMERS] });
    try {
      const fresh = verifierFor(rotating, { jwksCooldownMs: cooldownMs });
      const oldToken = await rotating.accessToken({ subject: 'alice', claims: ALICE });
      await fresh.verify(oldToken);
      const fetchedAt = Date.now();
      expect(rotating.jwksRequests()).toBe(1);

      await rotating.rotateKeys();
      const newToken = await rotating.accessToken({ subject: 'alice', claims: ALICE });
      expect(decode(newToken).header.kid).not.toBe(decode(oldToken).header.kid);
      // why: the keys were fetched within the cooldown (its last millisecond), so the unknown kid must not trigger a refetch yet.
      jest.setSystemTime(fetchedAt + cooldownMs - 1);
      expect((await refusal(newToken, fresh)).message).toBe('unknown signing key');
      expect(rotating.jwksRequests()).toBe(1);

      jest.setSystemTime(fetchedAt + cooldownMs + 50);
      await expect(fresh.verify(newToken)).resolves.toMatchObject({ subject: 'alice' });
      await expect(fresh.verify(oldToken)).resolves.toMatchObject({ subject: 'alice' });
      expect(rotating.jwksRequests()).toBe(2);
    } finally {
      jest.useRealTimers();
      await rotating.stop();
    }
  });
});

describe('createTokenVerifier discovery', () => {
  it('does no I/O until the first token, retries a failed discovery, then caches it', async () => {
    const port = await freePort();
    const early = createTokenVerifier({
      issuer: `http://127.0.0.1:${port}`,
      audience: 'https://conexus.test/api',
      allowInsecureHttp: true,
      discoveryRetryMs: 0,
    });
    const token = await idp.accessToken({ subject: 'alice', claims: ALICE });
    expect((await refusal(token, early, 'unavailable')).message).toBe('issuer metadata unavailable');

    const late = await startOidcProvider({ port });
    try {
      const tokens = await Promise.all([1, 2, 3].map(() => late.accessToken({ subject: 'alice', claims: ALICE })));
      for (const lateToken of tokens)
        await expect(early.verify(lateToken)).resolves.toMatchObject({ issuer: late.issuer });
      expect(late.discoveryRequests()).toBe(1);
      expect(late.jwksRequests()).toBe(1);
    } finally {
      await late.stop();
    }
  });

  it('waits discoveryRetryMs between failed discovery attempts', async () => {
    const port = await freePort();
    const throttled = createTokenVerifier({
      issuer: `http://127.0.0.1:${port}`,
      audience: 'x',
      allowInsecureHttp: true,
      discoveryRetryMs: 60_000,
    });
    const token = await idp.accessToken({ subject: 'alice', claims: ALICE });
    await refusal(token, throttled, 'unavailable');
    const late = await startOidcProvider({ port });
    try {
      expect((await refusal(await late.accessToken({ subject: 'alice' }), throttled, 'unavailable')).message).toBe(
        'issuer metadata unavailable',
      );
      expect(late.discoveryRequests()).toBe(0);
    } finally {
      await late.stop();
    }
  });
});
