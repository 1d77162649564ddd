import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startOidcProvider, type OidcProvider } from './start-oidc-provider.js';

let idp: OidcProvider;

async function publishedKeys(): Promise<JSONWebKeySet> {
  return (await (await fetch(`${idp.issuer}/jwks`)).json()) as JSONWebKeySet;
}

beforeAll(async () => {
  idp = await startOidcProvider();
});

afterAll(async () => {
  await idp?.stop();
});

describe('startOidcProvider', () => {
  it('publishes discovery metadata for its issuer and counts the requests', async () => {
    const metadata = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata).toMatchObject({ issuer: idp.issuer, jwks_uri: `${idp.issuer}/jwks` });
    expect(idp.discoveryRequests()).toBe(1);
  });

  it('issues at+jwt access tokens signed with a published key, carrying the requested claims', async () => {
    const token = await idp.accessToken({
      subject: 'alice',
      claims: { tenant: 'acme', groups: ['eng'] },
      expiresInSec: 60,
    });
    const before = idp.jwksRequests();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await publishedKeys()), {
      issuer: idp.issuer,
      audience: idp.audience,
      typ: 'at+jwt',
    });
    expect(idp.jwksRequests()).toBe(before + 1);
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: 'alice', tenant: 'acme', groups: ['eng'], client_id: idp.clientId });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('issues ID tokens for its client and access tokens from a real client_credentials grant', async () => {
    const keys = createLocalJWKSet(await publishedKeys());
    const idToken = await idp.idToken({ subject: 'alice', claims: { email: 'alice@example.com' } });
    const { payload: id, protectedHeader } = await jwtVerify(idToken, keys, {
      issuer: idp.issuer,
      audience: idp.clientId,
    });
    expect(protectedHeader.typ).toBeUndefined();
    expect(id).toMatchObject({ sub: 'alice', email: 'alice@example.com' });
    const { payload: machine } = await jwtVerify(await idp.clientCredentialsToken(), keys, {
      audience: idp.audience,
      typ: 'at+jwt',
    });
    expect(machine.sub).toBe(idp.clientId);
  });

  it('rotates to a new signing key, keeping the previous one published unless asked not to', async () => {
    const first = decodeProtectedHeader(await idp.accessToken({ subject: 'alice' })).kid;
    await idp.rotateKeys();
    const second = decodeProtectedHeader(await idp.accessToken({ subject: 'alice' })).kid;
    expect(second).not.toBe(first);
    expect((await publishedKeys()).keys.map((key) => key.kid)).toEqual([second, first]);
    await idp.rotateKeys({ keepPrevious: false });
    expect((await publishedKeys()).keys.map((key) => key.kid)).not.toContain(second);
  });
});
