import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pathReadable, type Principal } from '@conexus/access';
import { ConexusError } from '@conexus/kernel';
import { createCasbinDecider } from '../adapters/casbin/create-casbin-decider.js';
import { createInProcessPolicyStore } from '../adapters/memory/create-in-process-policy-store.js';
import { createPolicyApp, type PolicyChange } from './create-policy-app.js';

const ISSUER = 'https://idp.test';
const person = (subject: string, extra: Partial<Principal> = {}): Principal => ({
  issuer: ISSUER,
  subject,
  tenant: 'acme',
  groups: [],
  roles: [],
  ...extra,
});
const admin = person('root', { roles: ['admin'] });

async function start() {
  const changes: PolicyChange[] = [];
  const app = await createPolicyApp({
    store: createInProcessPolicyStore(),
    buildDecider: createCasbinDecider,
    adminRole: 'admin',
    onChange: (change) => void changes.push(change),
  });
  for (const repo of ['web', 'api', 'web-legacy']) await app.claimRepo(admin, repo);
  await app.claimRepo({ ...admin, tenant: 'globex' }, 'core');
  return { app, changes };
}

const code = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof ConexusError ? error.code : String(error)),
  );

describe('policy app', () => {
  it('grants, explains and revokes, with deny winning over allow from another subject', async () => {
    const { app, changes } = await start();
    const alice = person('alice', { groups: ['eng', 'contractors'] });
    const allow = await app.grant(admin, {
      kind: 'rule',
      subject: 'group:eng',
      repo: 'web*',
      path: 'src/**',
      effect: 'allow',
    });
    expect(
      await app.grant(admin, { kind: 'rule', subject: 'group:eng', repo: 'web*', path: 'src/**', effect: 'allow' }),
    ).toBe(allow);
    await app.grant(admin, {
      kind: 'rule',
      subject: 'group:contractors',
      repo: 'web',
      path: 'src/secret/**',
      effect: 'deny',
    });

    expect((await app.explain(admin, alice, 'web', 'src/app.ts')).allowed).toBe(true);
    const denied = await app.explain(admin, alice, 'web', 'src/secret/key.ts');
    expect(denied).toMatchObject({ allowed: false, reason: 'denied by deny group:contractors web:src/secret/**' });
    expect((await app.explain(admin, alice, 'web-legacy', 'src/secret/key.ts')).allowed).toBe(true);
    expect((await app.explain(admin, alice, 'api', 'src/app.ts')).reason).toBe('no rule allows it (default deny)');

    const scope = await app.scopeFor(alice);
    expect(pathReadable(scope, 'web', 'src/app.ts')).toBe(true);
    expect(pathReadable(scope, 'web', 'src/secret/key.ts')).toBe(false);
    expect(await app.revoke(admin, allow)).toBe(true);
    expect(pathReadable(await app.scopeFor(alice), 'web', 'src/app.ts')).toBe(false);
    expect(changes.map((change) => change.action)).toEqual([
      'claim_repo',
      'claim_repo',
      'claim_repo',
      'claim_repo',
      'grant',
      'grant',
      'grant',
      'revoke',
    ]);
  });

  it('gives roles through memberships, transitively, only within the tenant', async () => {
    const { app } = await start();
    await app.grant(admin, { kind: 'member', member: 'group:ops', role: 'role:lead' });
    await app.grant(admin, { kind: 'member', member: 'role:lead', role: 'role:reader' });
    await app.grant(admin, { kind: 'rule', subject: 'role:reader', repo: 'api', path: '**', effect: 'allow' });
    expect((await app.explain(admin, person('peggy', { groups: ['ops'] }), 'api', 'a/b.ts')).allowed).toBe(true);
    const stranger = person('peggy', { groups: ['ops'], tenant: 'globex' });
    expect(pathReadable(await app.scopeFor(stranger), 'api', 'a/b.ts')).toBe(false);
  });

  it('never lets a rule reach a repository that another tenant owns', async () => {
    const { app } = await start();
    await app.grant(admin, { kind: 'rule', subject: 'group:eng', repo: '**', path: '**', effect: 'allow' });
    const scope = await app.scopeFor(person('alice', { groups: ['eng'] }));
    expect(pathReadable(scope, 'web', 'x.ts')).toBe(true);
    expect(pathReadable(scope, 'core', 'x.ts')).toBe(false);
    expect(await code(app.claimRepo(admin, 'core'))).toBe('failed_precondition');
    expect(await code(app.claimRepo(person('alice'), 'new-repo'))).toBe('permission_denied');
  });

  it('lets only admins change or read the policy, and only their own tenant', async () => {
    const { app } = await start();
    const rule = { kind: 'rule', subject: 'group:eng', repo: 'web', path: '**', effect: 'allow' } as const;
    expect(await code(app.grant(person('mallory'), rule))).toBe('permission_denied');
    expect(await code(app.list(person('mallory', { roles: ['admin'], tenant: '' })))).toBe('permission_denied');
    const id = await app.grant(admin, rule);
    expect(await app.revoke(person('other', { roles: ['admin'], tenant: 'globex' }), id)).toBe(false);
    expect((await app.list(admin)).rules.map((entry) => entry.id)).toEqual([id]);
    expect(await code(app.grant(admin, { ...rule, subject: 'eng' }))).toBe('invalid_argument');
  });

  it('authenticates API keys by hash, with their tenant and roles, until revoked', async () => {
    const { app } = await start();
    const { record, secret } = await app.createKey(admin, 'ci bot', ['reader']);
    expect(JSON.stringify(await app.listKeys(admin))).not.toContain(secret);
    expect(await app.authenticateKey(secret)).toMatchObject({ subject: record.id, tenant: 'acme', roles: ['reader'] });
    expect(await code(app.authenticateKey(secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')))).toBe(
      'unauthenticated',
    );
    expect(await code(app.authenticateKey('cxk_nonsense'))).toBe('unauthenticated');
    expect(await app.revokeKey(admin, record.id)).toBe(true);
    expect(await code(app.authenticateKey(secret))).toBe('unauthenticated');
  });

  it('compiles scopes that decide exactly as the enforcer does', async () => {
    const repos = ['web', 'api'];
    const paths = ['src/a.ts', 'src/secret/k.ts', 'docs/x.md', 'Src/a.ts', 'src/a%2fb.ts', 'a/b/c/d.ts'];
    const globs = ['**', 'src/**', 'src/secret/**', '**/*.md', 'docs/*', 'src/*.ts', 'Src/**', '*/a.ts'];
    const subjects = ['group:eng', 'group:ops', 'role:reader'];
    const rule = fc.record({
      subject: fc.constantFrom(...subjects),
      repo: fc.constantFrom('web', 'api', '*', 'w?b'),
      path: fc.constantFrom(...globs),
      effect: fc.constantFrom('allow' as const, 'deny' as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { maxLength: 6 }), fc.subarray(['eng', 'ops']), async (rules, groups) => {
        const { app } = await start();
        await app.grant(admin, { kind: 'member', member: 'group:ops', role: 'role:reader' });
        for (const entry of rules) await app.grant(admin, { kind: 'rule', ...entry });
        const who = person('u', { groups });
        const scope = await app.scopeFor(who);
        for (const repo of repos)
          for (const path of paths)
            expect(pathReadable(scope, repo, path)).toBe((await app.explain(admin, who, repo, path)).allowed);
      }),
      { numRuns: 60 },
    );
  });
});

describe('policy app reloads', () => {
  it('keeps deciding with the last good policy when a rebuild fails', async () => {
    const store = createInProcessPolicyStore();
    const failures: unknown[] = [];
    let broken = false;
    const app = await createPolicyApp({
      store,
      adminRole: 'admin',
      buildDecider: async (entries) => {
        if (broken) throw new Error('cannot build');
        return createCasbinDecider(entries);
      },
      onReloadFailed: (error) => void failures.push(error),
    });
    await app.claimRepo(admin, 'web');
    await app.grant(admin, { kind: 'rule', subject: 'group:eng', repo: 'web', path: '**', effect: 'allow' });
    broken = true;
    await app.grant(admin, { kind: 'rule', subject: 'group:ops', repo: 'web', path: '**', effect: 'allow' });
    expect(failures.length).toBeGreaterThan(0);
    expect(pathReadable(await app.scopeFor(person('a', { groups: ['eng'] })), 'web', 'x.ts')).toBe(true);
    broken = false;
    await app.grant(admin, { kind: 'rule', subject: 'group:qa', repo: 'web', path: '**', effect: 'allow' });
    expect(pathReadable(await app.scopeFor(person('b', { groups: ['ops'] })), 'web', 'x.ts')).toBe(true);
  });
});
