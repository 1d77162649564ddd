import { describe, expect, it } from '@jest/globals';
import { ConexusError } from '@conexus/kernel';
import { claimAt, readCallerClaims } from './read-caller-claims.js';

const NAMES = { tenant: 'tenant', groups: 'groups', roles: 'roles' };

function rejection(run: () => unknown): ConexusError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConexusError) return error;
    throw error;
  }
  throw new Error('expected a ConexusError');
}

describe('readCallerClaims', () => {
  it('reads tenant, groups and roles, dropping duplicates', () => {
    const claims = { tenant: 'acme', groups: ['eng', 'eng', 'ops'], roles: ['reader'] };
    expect(readCallerClaims(claims, NAMES)).toEqual({ tenant: 'acme', groups: ['eng', 'ops'], roles: ['reader'] });
  });

  it('treats absent lists as empty and a lone string as a one-element list', () => {
    expect(readCallerClaims({ tenant: 'acme', roles: 'admin' }, NAMES)).toEqual({
      tenant: 'acme',
      groups: [],
      roles: ['admin'],
    });
  });

  it('falls back to the default tenant, and refuses a token without one when there is none', () => {
    expect(readCallerClaims({}, { ...NAMES, defaultTenant: 'default' }).tenant).toBe('default');
    expect(rejection(() => readCallerClaims({}, NAMES))).toMatchObject({
      code: 'unauthenticated',
      message: 'token carries no tenant',
    });
  });

  it('refuses malformed values instead of ignoring them', () => {
    for (const claims of [
      { tenant: 7 },
      { tenant: '' },
      { tenant: 'acme', groups: [1] },
      { tenant: 'acme', groups: { eng: true } },
      { tenant: 'acme', roles: [''] },
      { tenant: 'acme', roles: null },
    ]) {
      expect(rejection(() => readCallerClaims(claims, NAMES)).code).toBe('unauthenticated');
    }
  });

  it('uses configured names, dotted paths and namespaced literal names', () => {
    const claims = {
      'https://conexus.dev/tenant': 'acme',
      realm_access: { roles: ['admin'] },
      org: { teams: ['search'] },
    };
    const names = { tenant: 'https://conexus.dev/tenant', groups: 'org.teams', roles: 'realm_access.roles' };
    expect(readCallerClaims(claims, names)).toEqual({ tenant: 'acme', groups: ['search'], roles: ['admin'] });
  });
});

describe('claimAt', () => {
  it('prefers the literal name, walks only plain objects, and never reaches the prototype', () => {
    expect(claimAt({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(claimAt({ a: { b: 2 } }, 'a.b')).toBe(2);
    expect(claimAt({ a: [{ b: 2 }] }, 'a.0.b')).toBeUndefined();
    expect(claimAt({ a: {} }, 'a.toString')).toBeUndefined();
    expect(claimAt({}, 'constructor')).toBeUndefined();
  });
});
