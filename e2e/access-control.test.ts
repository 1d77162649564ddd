import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { Client as McpClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Effect } from '@conexus/api';
import { connectGateway } from '@conexus/client';
import { eventually } from '@conexus/testkit';
import { codeOf, startAccessWorld, type AccessWorld } from './support/start-access-world.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-access-'));
let world: AccessWorld;
let admin: ReturnType<typeof connectGateway>;

const paths = (results: readonly { path: string }[]) => results.map((result) => result.path);
/** What a search finds once it finds anything: a grant reaches the second policy replica a few ms after the first. */
const foundOnceGranted = async (client: ReturnType<typeof connectGateway>, query: string) => {
  const found = await eventually(
    async () => {
      const response = await client.context.search({ query });
      return response.results.length > 0 ? response : undefined;
    },
    5_000,
    'the grant to reach both policy replicas',
  );
  return paths(found.results);
};

beforeAll(async () => {
  world = await startAccessWorld(scratch);
  admin = connectGateway(world.cluster.url, world.adminToken);
}, 300_000);

afterAll(async () => {
  if (process.env.CONEXUS_E2E_LOGS) writeFileSync(process.env.CONEXUS_E2E_LOGS, world?.cluster.logs() ?? '');
  await world?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

describe('access control across the services', () => {
  it('refuses callers without a valid token, and serves readers only what the policy allows', async () => {
    const { url } = world.cluster;
    expect(await codeOf(connectGateway(url).context.search({ query: 'zqcart' }))).toBe(Code.Unauthenticated);
    expect(await codeOf(connectGateway(url, 'not-a-token').context.search({ query: 'zqcart' }))).toBe(
      Code.Unauthenticated,
    );
    await admin.policy.grant({
      grant: { case: 'rule', value: { subject: 'group:eng', repo: 'web', path: 'src/**', effect: Effect.ALLOW } },
    });
    await admin.policy.grant({
      grant: { case: 'rule', value: { subject: 'group:eng', repo: 'web', path: 'src/secret/**', effect: Effect.DENY } },
    });
    const alice = connectGateway(url, await world.token('alice', { groups: ['eng'] }));
    expect(await foundOnceGranted(alice, 'zqcart zqsigning cartTotal signingKeys')).toEqual(['src/cart.ts']);
    expect(await codeOf(alice.context.getFile({ repo: 'web', path: 'src/secret/keys.ts' }))).toBe(Code.NotFound);
    expect(await codeOf(alice.context.getFile({ repo: 'web', path: 'src/../src/secret/keys.ts' }))).toBe(Code.NotFound);
    expect((await alice.context.getFile({ repo: 'web', path: 'src/cart.ts' })).text).toContain('zqcart');
    const bob = connectGateway(url, await world.token('bob'));
    expect((await bob.context.search({ query: 'zqcart' })).results).toEqual([]);
    expect((await bob.context.listRepos({})).repos).toEqual([]);
    expect(await codeOf(bob.context.getFile({ repo: 'web', path: 'src/cart.ts' }))).toBe(
      await codeOf(bob.context.getFile({ repo: 'nowhere', path: 'src/cart.ts' })),
    );
    expect(await codeOf(bob.policy.listPolicies({}))).toBe(Code.PermissionDenied);
  }, 120_000);

  it('serves an API key what its role is granted, shows its secret once, and refuses it once revoked', async () => {
    const created = await admin.policy.createApiKey({ name: 'ci build', roles: ['ci-reader'] });
    const id = created.apiKey!.id;
    expect(created.secret).toMatch(new RegExp(`^cxk_${id}_[\\w-]{43}$`));
    const listed = await admin.policy.listApiKeys({});
    expect(listed.apiKeys.find((key) => key.id === id)).toMatchObject({
      name: 'ci build',
      roles: ['ci-reader'],
      tenant: 'acme',
    });
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(-43));
    const ci = connectGateway(world.cluster.url, created.secret);
    expect(
      (await eventually(() => ci.context.search({ query: 'zqcart' }), 5_000, 'the key to be known')).results,
    ).toEqual([]);
    await admin.policy.grant({
      grant: {
        case: 'rule',
        value: { subject: 'role:ci-reader', repo: 'web', path: 'src/cart.ts', effect: Effect.ALLOW },
      },
    });
    expect(await foundOnceGranted(ci, 'zqcart')).toEqual(['src/cart.ts']);
    expect((await ci.context.getFile({ repo: 'web', path: 'src/cart.ts' })).text).toContain('zqcart');
    expect(await codeOf(ci.policy.listPolicies({}))).toBe(Code.PermissionDenied);
    const globex = connectGateway(
      world.cluster.url,
      await world.token('root', { tenant: 'globex', roles: ['conexus-admin'] }),
    );
    expect((await globex.policy.listApiKeys({})).apiKeys).toEqual([]);
    expect((await globex.policy.revokeApiKey({ id })).revoked).toBe(false);
    expect((await ci.context.search({ query: 'zqcart' })).results.length).toBeGreaterThan(0);

    expect((await admin.policy.revokeApiKey({ id })).revoked).toBe(true);
    expect((await admin.policy.listApiKeys({})).apiKeys.map((key) => key.id)).not.toContain(id);
    await eventually(
      async () => ((await codeOf(ci.context.search({ query: 'zqcart' }))) === Code.Unauthenticated ? true : undefined),
      2_000,
      'the key to be refused',
    );
    for (let attempt = 0; attempt < 10; attempt++)
      expect(await codeOf(ci.context.search({ query: 'zqcart' }))).toBe(Code.Unauthenticated);
  }, 60_000);

  it('grants, lists, explains and revokes through the admin API, for admins of the owning tenant only', async () => {
    const dave = world.user('dave');
    const explain = () =>
      admin.policy.explain({ issuer: world.idp.issuer, subject: 'dave', repo: 'web', path: 'src/cart.ts' });
    const { id } = await admin.policy.grant({
      grant: { case: 'rule', value: { subject: dave, repo: 'web', path: 'src/*.ts', effect: Effect.ALLOW } },
    });
    expect((await admin.policy.listPolicies({})).rules.find((rule) => rule.id === id)).toMatchObject({
      subject: dave,
      repo: 'web',
      path: 'src/*.ts',
      effect: Effect.ALLOW,
      tenant: 'acme',
    });
    expect((await admin.policy.listPolicies({})).repos).toEqual(['web']);
    const allowed = await explain();
    expect(allowed).toMatchObject({ allowed: true, reason: `allowed by allow ${dave} web:src/*.ts` });
    expect(allowed.matched.map((rule) => rule.subject)).toEqual([dave]);
    expect(allowed.subjects).toContain(dave);
    // why: the group eng rules are the first test's.
    const denied = await admin.policy.explain({
      issuer: world.idp.issuer,
      subject: 'alice',
      groups: ['eng'],
      repo: 'web',
      path: 'src/secret/keys.ts',
    });
    expect(denied).toMatchObject({ allowed: false, reason: 'denied by deny group:eng web:src/secret/**' });
    expect(denied.matched.map((rule) => rule.effect).sort()).toEqual([Effect.ALLOW, Effect.DENY]);

    // why: a membership gives its member a role, and the role's rules with it.
    const membership = await admin.policy.grant({
      grant: { case: 'membership', value: { member: world.user('erin'), role: 'role:auditors' } },
    });
    await admin.policy.grant({
      grant: {
        case: 'rule',
        value: { subject: 'role:auditors', repo: 'w*', path: 'src/cart.ts', effect: Effect.ALLOW },
      },
    });
    expect((await admin.policy.listPolicies({})).memberships.find((entry) => entry.id === membership.id)).toMatchObject(
      { member: world.user('erin'), role: 'role:auditors', tenant: 'acme' },
    );
    const erin = connectGateway(world.cluster.url, await world.token('erin'));
    expect(await foundOnceGranted(erin, 'zqcart')).toEqual(['src/cart.ts']);
    expect(
      (await admin.policy.explain({ issuer: world.idp.issuer, subject: 'erin', repo: 'web', path: 'src/cart.ts' }))
        .subjects,
    ).toContain('role:auditors');

    const bob = connectGateway(world.cluster.url, await world.token('bob', { groups: ['eng'] }));
    expect(
      await codeOf(
        bob.policy.grant({
          grant: { case: 'rule', value: { subject: world.user('bob'), repo: '*', path: '**', effect: Effect.ALLOW } },
        }),
      ),
    ).toBe(Code.PermissionDenied);
    expect(await codeOf(bob.policy.revoke({ id }))).toBe(Code.PermissionDenied);
    expect(
      await codeOf(bob.policy.explain({ issuer: world.idp.issuer, subject: 'bob', repo: 'web', path: 'src/cart.ts' })),
    ).toBe(Code.PermissionDenied);
    expect(await codeOf(bob.policy.createApiKey({ name: 'mine', roles: ['conexus-admin'] }))).toBe(
      Code.PermissionDenied,
    );

    const globex = connectGateway(
      world.cluster.url,
      await world.token('root', { tenant: 'globex', roles: ['conexus-admin'] }),
    );
    const theirs = await globex.policy.listPolicies({});
    expect(theirs.rules).toEqual([]);
    expect(theirs.repos).toEqual([]);
    expect((await globex.policy.revoke({ id })).revoked).toBe(false);
    expect(
      (await globex.policy.explain({ issuer: world.idp.issuer, subject: 'dave', repo: 'web', path: 'src/cart.ts' }))
        .allowed,
    ).toBe(false);
    expect(
      await codeOf(
        globex.index.addRepo({
          repo: 'web',
          source: { source: { case: 'path', value: join(scratch, 'sources', 'web') } },
        }),
      ),
    ).toBe(Code.FailedPrecondition);
    // why: a name another tenant owns answers exactly as a name nobody has: RemoveRepo used to say "taken" for one and {} for the other.
    for (const repo of ['web', 'never-added']) {
      const answers = await Promise.all(
        [globex.index.removeRepo({ repo }), globex.index.reindex({ repo })].map((call) =>
          call.then(
            () => 'ok',
            (error: unknown) => ConnectError.from(error),
          ),
        ),
      );
      expect(
        answers.map((answer) =>
          answer instanceof ConnectError ? [answer.code, answer.rawMessage.replace(repo, 'NAME')] : answer,
        ),
      ).toEqual([
        [Code.NotFound, 'unknown repository "NAME"'],
        [Code.NotFound, 'unknown repository "NAME"'],
      ]);
    }
    expect(await codeOf(globex.index.getIndexStatus({ repo: 'web' }))).toBe(Code.NotFound);
    expect((await admin.policy.listPolicies({})).rules.map((rule) => rule.id)).toContain(id);

    expect((await admin.policy.revoke({ id })).revoked).toBe(true);
    expect((await admin.policy.listPolicies({})).rules.map((rule) => rule.id)).not.toContain(id);
    expect(await explain()).toMatchObject({ allowed: false, reason: 'no rule allows it (default deny)', matched: [] });
    expect((await admin.policy.revoke({ id })).revoked).toBe(false);
  }, 60_000);
});

// why: alice reads through group eng, whose rules the first test granted; bob has no grants at all.
describe('MCP and Continue over HTTP with access control', () => {
  const mcpUrl = () => `${world.cluster.url}/mcp`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${world.cluster.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body),
    });
  const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
  // why: fetch cannot set Host, so this one request goes through node:http.
  const statusWith = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        mcpUrl(),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify(listTools));
    });

  it('challenges callers without a valid token and describes itself as an OAuth protected resource', async () => {
    const metadata = `${world.cluster.url}/.well-known/oauth-protected-resource/mcp`;
    const anonymous = await post('/mcp', listTools);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}"`);
    const forged = await post('/mcp', listTools, { authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(
      new RegExp(`^Bearer resource_metadata="${metadata}", error="invalid_token", error_description="[^"]+"$`),
    );
    expect((await post('/continue', { query: 'zqcart' })).status).toBe(401);
    // why: DNS rebinding protection comes first, so a refused Host or Origin never gets a challenge built from it.
    expect(await statusWith({ host: 'evil.example' })).toBe(403);
    expect(await statusWith({ origin: 'https://evil.example' })).toBe(403);
    expect(
      await statusWith({
        origin: 'https://evil.example',
        authorization: `Bearer ${await world.token('alice', { groups: ['eng'] })}`,
      }),
    ).toBe(403);
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await fetch(`${world.cluster.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({
        resource: world.idp.audience,
        authorization_servers: [world.idp.issuer],
      });
    }
  });

  it.each([
    ['2025 handshake', 'legacy' as const],
    ['2026-07-28', { pin: '2026-07-28' as const }],
  ])('answers MCP tools with only what the caller may read (%s)', async (_label, mode) => {
    const connect = async (subject: string, claims: Record<string, unknown>) => {
      const token = await world.token(subject, claims);
      const client = new McpClient({ name: `conexus-${subject}`, version: '1.0.0' }, { versionNegotiation: { mode } });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(mcpUrl()), { authProvider: { token: async () => token } }),
      );
      return client;
    };
    const search = async (client: McpClient) => {
      const result = await client.callTool({
        name: 'search_code',
        arguments: { query: 'zqcart zqsigning cartTotal signingKeys' },
      });
      return paths((result.structuredContent as { results: { path: string }[] }).results);
    };
    const read = async (client: McpClient, path: string) => {
      const result = await client.callTool({ name: 'read_file', arguments: { repo: 'web', path } });
      return result.isError ? 'error' : (result.structuredContent as { text: string }).text;
    };
    const alice = await connect('alice', { groups: ['eng'] });
    const bob = await connect('bob', {});
    try {
      // why: interleaved, so an identity that leaked from one request into the next would show.
      expect(await search(alice)).toEqual(['src/cart.ts']);
      expect(await search(bob)).toEqual([]);
      expect(await read(alice, 'src/cart.ts')).toContain('zqcart');
      expect(await read(bob, 'src/cart.ts')).toBe('error');
      expect(await read(alice, 'src/secret/keys.ts')).toBe('error');
      expect(await search(bob)).toEqual([]);
    } finally {
      await Promise.all([alice.close(), bob.close()]);
    }
  });

  it("answers Continue's context provider with only what the caller may read", async () => {
    const ask = async (subject: string, claims: Record<string, unknown>) => {
      const response = await post(
        '/continue',
        { query: '', fullInput: 'zqcart zqsigning cartTotal signingKeys' },
        { authorization: `Bearer ${await world.token(subject, claims)}` },
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { name: string }[]).map((item) => item.name.replace(/:\d+-\d+$/, ''));
    };
    expect(await ask('alice', { groups: ['eng'] })).toEqual(['src/cart.ts']);
    expect(await ask('bob', {})).toEqual([]);
  });
});

describe('revocation', () => {
  const ITERATIONS = 15;
  const percentile = (values: readonly number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.ceil(p * values.length) - 1]!;
  /** When each policy replica logged `policy reloaded` at or after `since`: the first such time, or undefined. */
  const reloadedAt = (since: number): (number | undefined)[] =>
    world.cluster.policies.map((replica) =>
      replica
        .output()
        .split('\n')
        .map((line) => parseLogLine(line))
        .filter((entry) => entry?.msg === 'policy reloaded')
        .map((entry) => Date.parse(entry!.time))
        .find((time) => time >= since),
    );
  const everyReplicaReloaded = (since: number) =>
    eventually(
      () => {
        const times = reloadedAt(since);
        return times.every((time) => time !== undefined) ? times : undefined;
      },
      5_000,
      'every policy replica to reload',
    );

  it('denies within 2 s of a revocation on every replica, measured', async () => {
    const carol = connectGateway(world.cluster.url, await world.token('carol'));
    const rule = { subject: world.user('carol'), repo: 'web', path: 'src/cart.ts', effect: Effect.ALLOW };
    const sees = async () => paths((await carol.context.search({ query: 'zqcart' })).results).includes('src/cart.ts');
    const denials: number[] = [];
    const reloads: number[] = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const grantedAt = Date.now();
      const { id } = await admin.policy.grant({ grant: { case: 'rule', value: rule } });
      // why: the clock starts only once both replicas hold the grant, so each revocation is measured from a clean state.
      await everyReplicaReloaded(grantedAt);
      await eventually(async () => ((await sees()) ? true : undefined), 5_000, 'carol to see the file');

      const t0 = Date.now();
      expect((await admin.policy.revoke({ id })).revoked).toBe(true);
      while (await sees()) if (Date.now() - t0 > 5_000) throw new Error('the revocation did not apply within 5 s');
      denials.push(Date.now() - t0);
      // why: the query service asks a policy replica (queue group) per request; ten in a row reach both.
      for (let attempt = 0; attempt < 10; attempt++) expect(await sees()).toBe(false);
      reloads.push(Math.max(...(await everyReplicaReloaded(t0))) - t0);
    }
    const line = (values: number[]) => `p50 ${percentile(values, 0.5)} ms, max ${Math.max(...values)} ms`;
    process.stdout.write(
      `revocation: first denial ${line(denials)}; every replica reloaded ${line(reloads)} (n=${ITERATIONS})\n`,
    );
    expect(Math.max(...denials)).toBeLessThan(2_000);
    expect(Math.max(...reloads)).toBeLessThan(2_000);
  }, 180_000);
});

function parseLogLine(line: string): { msg: string; time: string } | null {
  // why: the kept output is a tail, so its first line may be cut; anything that is not a JSON object is skipped.
  try {
    const entry = JSON.parse(line) as unknown;
    return typeof entry === 'object' && entry !== null && 'msg' in entry && 'time' in entry
      ? (entry as { msg: string; time: string })
      : null;
  } catch {
    return null;
  }
}
