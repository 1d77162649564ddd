import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { connectGateway } from '@conexus/client';
import {
  eventually,
  freePort,
  startCluster,
  startOidcProvider,
  useNatsServer,
  type Cluster,
  type OidcProvider,
} from '@conexus/testkit';

// why: like cli.int.test.ts these drive the built `conexus` binary (`npx tsc -b packages/cli` first), against a real
// cluster with access control and a real OpenID provider. The provider runs in this process, so the CLI is
// spawned asynchronously: a blocking spawn would stop the provider from answering the gateway's JWKS fetch.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(projectRoot, 'packages/cli/dist/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-cli-policy-'));
let idp: OidcProvider;
let cluster: Cluster;
let adminToken: string;

const token = (subject: string, claims: Record<string, unknown> = {}) =>
  idp.accessToken({ subject, claims: { tenant: 'acme', ...claims } });
const code = async (promise: Promise<unknown>): Promise<Code | 'ok'> =>
  promise.then(
    () => 'ok' as const,
    (error: unknown) => ConnectError.from(error).code,
  );

function conexus(
  args: string[],
  credential: string | null = adminToken,
  url = cluster.url,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CONEXUS_URL: url };
  if (credential === null) delete env.CONEXUS_TOKEN;
  else env.CONEXUS_TOKEN = credential;
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env, encoding: 'utf8', timeout: 60_000 },
      (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
    );
  });
}

// why: afterAll hooks run in the order declared: the cluster stops before useNatsServer's hook stops the server.
afterAll(async () => {
  await cluster?.stop();
  await idp?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});
const nats = useNatsServer();

beforeAll(async () => {
  idp = await startOidcProvider();
  adminToken = await token('root', { roles: ['conexus-admin'] });
  cluster = await startCluster(nats.url, scratch, {
    sourceRoots: [join(scratch, 'sources')],
    access: { issuer: idp.issuer, audience: idp.audience, adminToken },
  });
  const web = join(scratch, 'sources', 'web');
  mkdirSync(join(web, 'src'), { recursive: true });
  writeFileSync(
    join(web, 'src', 'cart.ts'),
    'export function cartTotal(items: number[]) { return items.length; } // zqcart\n',
  );
  await cluster.add('web', { path: web });
}, 300_000);

describe('conexus policy', () => {
  it('grants, lists, explains and revokes a rule, and readers see each change', async () => {
    const alice = connectGateway(cluster.url, await token('alice', { groups: ['eng'] }));
    const read = () => code(alice.context.getFile({ repo: 'web', path: 'src/cart.ts' }));
    expect(await read()).toBe(Code.NotFound);

    const granted = await conexus(['policy', 'grant', '--subject', 'group:eng', '--repo', 'web', '--path', 'src/**']);
    expect(granted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^rule\.\S+\n$/), stderr: '' });
    const id = granted.stdout.trim();
    expect(
      (await conexus(['policy', 'grant', '--subject', 'group:eng', '--repo', 'web', '--path', 'src/**'])).stdout,
    ).toBe(`${id}\n`);

    const table = await conexus(['policy', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`^rules:\\n  ID +EFFECT +SUBJECT +REPO:PATH\\n  ${id} +allow +group:eng +web:src/\\*\\*\\n`),
    );
    expect(table.stdout).toContain('memberships: none\n');
    expect(table.stdout).toContain('owned repositories: web\n');
    expect(JSON.parse((await conexus(['policy', 'list', '--json'])).stdout)).toEqual({
      rules: [{ id, effect: 'allow', subject: 'group:eng', repo: 'web', path: 'src/**' }],
      memberships: [],
      repos: ['web'],
    });

    const explain = [
      'policy',
      'explain',
      '--issuer',
      idp.issuer,
      '--subject',
      'alice',
      '--group',
      'eng',
      '--repo',
      'web',
      '--path',
      'src/cart.ts',
    ];
    expect(await conexus(explain)).toEqual({
      code: 0,
      stdout: `allowed: allowed by allow group:eng web:src/**\nmatched rules:\n  allow  group:eng  web:src/**\nsubjects: user:${idp.issuer}#alice, group:eng\n`,
      stderr: '',
    });
    expect(JSON.parse((await conexus([...explain, '--json'])).stdout)).toMatchObject({
      allowed: true,
      matched: [{ effect: 'allow', subject: 'group:eng', repo: 'web', path: 'src/**' }],
    });
    await eventually(async () => ((await read()) === 'ok' ? true : undefined), 30_000, 'alice to read src/cart.ts');
    expect((await alice.context.getFile({ repo: 'web', path: 'src/cart.ts' })).text).toContain('zqcart');

    expect(await conexus(['policy', 'revoke', id])).toEqual({ code: 0, stdout: `revoked ${id}\n`, stderr: '' });
    expect(await conexus(explain)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^denied: no rule allows it \(default deny\)\nmatched rules: none\n/),
    });
    await eventually(
      async () => ((await read()) === Code.NotFound ? true : undefined),
      30_000,
      'alice to lose src/cart.ts',
    );
    expect(await conexus(['policy', 'revoke', id])).toMatchObject({
      code: 2,
      stderr: `conexus: no rule or membership "${id}" in this tenant (see \`conexus policy list\`)\n`,
    });
  }, 120_000);

  it('creates an API key whose secret is shown once and works until it is revoked', async () => {
    const created = await conexus(['keys', 'create', '--name', 'ci-bot', '--role', 'reader']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const [, keyId, secret] =
      /^id: (\S+)\nsecret: (cxk_\S+)\nnote: the secret is not shown again .*\n$/.exec(created.stdout) ?? [];
    expect(keyId && secret).toBeTruthy();
    const listed = await conexus(['keys', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^ID +NAME +ROLES +CREATED\\n${keyId} +ci-bot +reader +\\d{4}-`));
    expect(JSON.parse((await conexus(['keys', 'list', '--json'])).stdout).keys).toEqual([
      { id: keyId, name: 'ci-bot', roles: ['reader'], createdAt: expect.any(String) },
    ]);

    const rule = (
      await conexus(['policy', 'grant', '--subject', 'role:reader', '--repo', 'web', '--path', '**'])
    ).stdout.trim();
    const bot = connectGateway(cluster.url, secret);
    await eventually(
      async () => ((await code(bot.context.getFile({ repo: 'web', path: 'src/cart.ts' }))) === 'ok' ? true : undefined),
      30_000,
      'the key to read',
    );
    expect(await conexus(['policy', 'list'], secret)).toMatchObject({
      code: 77,
      stderr: 'conexus: permission denied: changing the policy needs the conexus-admin role\n',
    });

    expect(await conexus(['keys', 'revoke', keyId!])).toEqual({
      code: 0,
      stdout: `revoked key ${keyId}\n`,
      stderr: '',
    });
    await eventually(
      async () => ((await code(bot.context.listRepos({}))) === Code.Unauthenticated ? true : undefined),
      30_000,
      'the key to stop working',
    );
    expect(await conexus(['policy', 'list'], secret)).toMatchObject({
      code: 67,
      stderr: expect.stringMatching(
        /^conexus: the gateway at \S+ rejected the token in CONEXUS_TOKEN: unknown or revoked API key\n$/,
      ),
    });
    expect(await conexus(['keys', 'revoke', keyId!])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`no API key "${keyId}"`),
    });
    expect((await conexus(['keys', 'list'])).stdout).toBe('no API keys\n');
    await conexus(['policy', 'revoke', rule]);
  }, 120_000);

  it('gives a membership to an admin key, which can then run the admin commands', async () => {
    const created = await conexus(['keys', 'create', '--name', 'policy-bot', '--json']);
    const key = JSON.parse(created.stdout) as { id: string; secret: string };
    expect(created.stderr).toMatch(/^note: the secret is not shown again/);
    expect((await conexus(['policy', 'list'], key.secret)).code).toBe(77);
    const membership = await conexus(['policy', 'grant', '--member', `key:${key.id}`, '--role', 'role:conexus-admin']);
    expect(membership.stdout).toMatch(/^member\.\S+\n$/);
    await eventually(
      async () => ((await conexus(['policy', 'list', '--json'], key.secret)).code === 0 ? true : undefined),
      30_000,
      'the key to become an admin',
    );
    expect(JSON.parse((await conexus(['policy', 'list', '--json'], key.secret)).stdout).memberships).toEqual([
      { id: membership.stdout.trim(), member: `key:${key.id}`, role: 'role:conexus-admin' },
    ]);
    await conexus(['keys', 'revoke', key.id]);
    await conexus(['policy', 'revoke', membership.stdout.trim()]);
  }, 120_000);

  it('says clearly what went wrong, with a distinct exit code for each kind of failure', async () => {
    const line = (stderr: string) => expect(stderr.split('\n')).toHaveLength(2);
    const reader = await conexus(['policy', 'list'], await token('bob', { groups: ['eng'] }));
    expect(reader).toEqual({
      code: 77,
      stdout: '',
      stderr: 'conexus: permission denied: changing the policy needs the conexus-admin role\n',
    });
    const anonymous = await conexus(['keys', 'list'], null);
    expect(anonymous).toEqual({
      code: 67,
      stdout: '',
      stderr: `conexus: the gateway at ${cluster.url} needs a token: set CONEXUS_TOKEN to an access token or API key with the admin role\n`,
    });
    const forged = await conexus(['policy', 'list'], 'not-a-token');
    expect(forged).toMatchObject({ code: 67, stderr: expect.stringContaining('rejected the token in CONEXUS_TOKEN') });
    line(forged.stderr);
    const invalid = await conexus(['policy', 'grant', '--subject', 'alice', '--repo', 'web', '--path', '**']);
    expect(invalid).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^conexus: invalid subject "alice": use user:<issuer>#<subject>/),
    });
    const down = await conexus(['policy', 'list'], adminToken, `http://127.0.0.1:${await freePort()}`);
    expect(down).toMatchObject({
      code: 69,
      stderr: expect.stringMatching(/^conexus: the gateway at http:\/\/127\.0\.0\.1:\d+ is unavailable: /),
    });
    line(down.stderr);
    expect(await conexus(['policy', 'grant', '--member', 'group:eng', '--role', 'role:x', '--deny'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not both'),
    });
    expect(await conexus(['policy', 'explain', '--subject', 'alice'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('needs --issuer, --repo, --path'),
    });
  }, 120_000);
});
