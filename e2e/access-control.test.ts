import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { Effect } from '@conexus/api';
import { connectGateway } from '@conexus/client';
import { startCluster, startNatsServer, startOidcProvider, type Cluster, type NatsServer, type OidcProvider } from '@conexus/testkit';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-access-'));
let nats: NatsServer;
let idp: OidcProvider;
let cluster: Cluster;
let adminToken: string;

const token = (subject: string, claims: Record<string, unknown>) => idp.accessToken({ subject, claims: { tenant: 'acme', ...claims } });
const code = async (promise: Promise<unknown>): Promise<Code | 'ok'> => promise.then(() => 'ok' as const, (error: unknown) => ConnectError.from(error).code);

function writeRepo(name: string, files: Record<string, string>): string {
  const root = join(scratch, 'sources', name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

beforeAll(async () => {
  nats = await startNatsServer({ storeDir: join(scratch, 'nats') });
  idp = await startOidcProvider();
  adminToken = await token('root', { roles: ['conexus-admin'] });
  cluster = await startCluster(nats.url, scratch, {
    sourceRoots: [join(scratch, 'sources')],
    access: { issuer: idp.issuer, audience: idp.audience, adminToken, policyReplicas: 2 },
  });
  const web = writeRepo('web', {
    'src/cart.ts': 'export function cartTotal(items: number[]) { return items.reduce((a, b) => a + b, 0); } // zqcart\n',
    'src/secret/keys.ts': 'export function signingKeys() { return "zqsigning"; }\n',
  });
  await cluster.add('web', { path: web });
}, 300_000);

afterAll(async () => {
  if (process.env.CONEXUS_E2E_LOGS) writeFileSync(process.env.CONEXUS_E2E_LOGS, cluster?.logs() ?? '');
  await cluster?.stop();
  await idp?.stop();
  await nats?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

describe('access control across the services', () => {
  it('refuses callers without a valid token, and serves readers only what the policy allows', async () => {
    expect(await code(connectGateway(cluster.url).context.search({ query: 'zqcart' }))).toBe(Code.Unauthenticated);
    expect(await code(connectGateway(cluster.url, 'not-a-token').context.search({ query: 'zqcart' }))).toBe(Code.Unauthenticated);
    const admin = connectGateway(cluster.url, adminToken);
    await admin.policy.grant({ grant: { case: 'rule', value: { subject: 'group:eng', repo: 'web', path: 'src/**', effect: Effect.ALLOW } } });
    await admin.policy.grant({ grant: { case: 'rule', value: { subject: 'group:eng', repo: 'web', path: 'src/secret/**', effect: Effect.DENY } } });
    const alice = connectGateway(cluster.url, await token('alice', { groups: ['eng'] }));
    const found = await alice.context.search({ query: 'zqcart zqsigning cartTotal signingKeys' });
    expect(found.results.map((result) => result.path)).toEqual(['src/cart.ts']);
    expect(await code(alice.context.getFile({ repo: 'web', path: 'src/secret/keys.ts' }))).toBe(Code.NotFound);
    expect(await code(alice.context.getFile({ repo: 'web', path: 'src/../src/secret/keys.ts' }))).toBe(Code.NotFound);
    expect((await alice.context.getFile({ repo: 'web', path: 'src/cart.ts' })).text).toContain('zqcart');
    const bob = connectGateway(cluster.url, await token('bob', {}));
    expect((await bob.context.search({ query: 'zqcart' })).results).toEqual([]);
    expect((await bob.context.listRepos({})).repos).toEqual([]);
    expect(await code(bob.context.getFile({ repo: 'web', path: 'src/cart.ts' }))).toBe(await code(bob.context.getFile({ repo: 'nowhere', path: 'src/cart.ts' })));
    expect(await code(bob.policy.listPolicies({}))).toBe(Code.PermissionDenied);
  }, 120_000);
});
