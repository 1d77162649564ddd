import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { Effect, IndexState } from '@conexus/api';
import { connectGateway, type GatewayClient } from '@conexus/client';
import { Client as McpClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { eventually } from '@conexus/testkit';
import { expectedRepos, generateCases, matrixUser, type MatrixCase } from './permission-matrix/generate-cases.js';
import {
  createMatrixWorld,
  matrixPrincipal,
  matrixTokenClaims,
  type MatrixWorld,
} from './permission-matrix/matrix-world.js';
import { referenceReadable, type ReferencePrincipal } from './permission-matrix/reference-access.js';
import { gitRepo } from './support/source-repos.js';
import { startAccessCluster, type AccessWorld } from './support/start-access-world.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-matrix-'));
const ADMIN_ROLE = 'conexus-admin';
const CONCURRENCY = 8;
let access: AccessWorld;
let world: MatrixWorld;
const users = new Map<string, { gateway: GatewayClient; mcp: McpClient }>();
let admins = new Map<string, GatewayClient>();

/** What came back for a case: the (repo, path) pairs of every result, and whether the target's marker was among them. */
interface Observation {
  readonly returned: readonly { repo: string; path: string }[];
  readonly found: boolean;
}

// why: the cluster's own clients act for acme, but each repository belongs to the tenant whose admin adds it.
async function addRepo(admin: GatewayClient, name: string, path: string): Promise<void> {
  const { jobId } = await admin.index.addRepo({ repo: name, source: { source: { case: 'path', value: path } } });
  await eventually(
    async () => {
      const event = (await admin.index.getIndexStatus({ repo: name })).event;
      if (event?.state === IndexState.FAILED) throw new Error(`indexing ${name} failed: ${event.error}`);
      return event?.state === IndexState.DONE && event.jobId === jobId ? true : undefined;
    },
    120_000,
    `${name} to be indexed`,
  );
}

beforeAll(async () => {
  access = await startAccessCluster(scratch);
  const { cluster } = access;
  world = createMatrixWorld(access.idp.issuer);
  const adminToken = (tenant: string) => access.token(`root-${tenant}`, { tenant, roles: [ADMIN_ROLE] });
  admins = new Map(
    await Promise.all(
      world.tenants.map(async (tenant) => [tenant, connectGateway(cluster.url, await adminToken(tenant))] as const),
    ),
  );
  for (const repo of world.repos) {
    const source = gitRepo(
      join(scratch, 'sources', repo.name),
      Object.fromEntries(repo.files.map((file) => [file.path, file.content])),
      'matrix fixture',
    );
    await addRepo(admins.get(repo.name.startsWith('globex') ? 'globex' : 'acme')!, repo.name, source);
  }
  for (const membership of world.memberships) {
    await admins
      .get(membership.tenant)!
      .policy.grant({ grant: { case: 'membership', value: { member: membership.member, role: membership.role } } });
  }
  for (const rule of world.rules) {
    const value = {
      subject: rule.subject,
      repo: rule.repo,
      path: rule.path,
      effect: rule.effect === 'allow' ? Effect.ALLOW : Effect.DENY,
    };
    await admins.get(rule.tenant)!.policy.grant({ grant: { case: 'rule', value } });
  }
  for (const { subject, ...claims } of matrixTokenClaims(world)) {
    const token = await access.token(subject, claims);
    const mcp = new McpClient({ name: `matrix-${subject}`, version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${cluster.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    users.set(subject, { gateway: connectGateway(cluster.url, token), mcp });
  }
}, 300_000);

afterAll(async () => {
  await Promise.all([...users.values()].map(({ mcp }) => mcp.close()));
  await access?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

/** The world file a case's spelling came from; surfaces that take no path look for it. */
function sourceFile(testCase: MatrixCase) {
  return (
    world.repos.find((repo) => repo.name === testCase.repo)!.files.find((file) => file.path === testCase.sourcePath) ??
    null
  );
}

/** Runs one case through its surface and reports what the caller received. */
async function observe(testCase: MatrixCase): Promise<Observation> {
  const { gateway, mcp } = users.get(testCase.user)!;
  const pathless = testCase.surface === 'find_symbol' || testCase.surface === 'mcp_search';
  const target = pathless ? sourceFile(testCase) : testCase.target;
  const marker = target?.marker ?? 'zqnothinghere';
  const refusal = (error: unknown): Observation => {
    const code = ConnectError.from(error).code;
    if (code !== Code.NotFound && code !== Code.InvalidArgument) throw error;
    return { returned: [], found: false };
  };
  switch (testCase.surface) {
    case 'search': {
      const answer = await gateway.context
        .search({ query: marker, pathPrefixes: [testCase.requestedPath], topK: 50 })
        .catch(refusal);
      const results = 'results' in answer ? answer.results : [];
      return {
        returned: results.map(({ repo, path }) => ({ repo, path })),
        found: results.some((result) => result.repo === testCase.repo && result.text.includes(marker)),
      };
    }
    case 'get_file': {
      const file = await gateway.context.getFile({ repo: testCase.repo, path: testCase.requestedPath }).catch(refusal);
      if ('returned' in file) return file;
      return { returned: [{ repo: file.repo, path: file.path }], found: file.text.includes(marker) };
    }
    case 'find_symbol': {
      const answer = await gateway.context
        .findSymbol({ name: target?.symbol ?? 'zqsym_nothing', repos: [testCase.repo] })
        .catch(refusal);
      const symbols = 'symbols' in answer ? answer.symbols : [];
      return {
        returned: symbols.map(({ repo, path }) => ({ repo, path })),
        found: symbols.some((symbol) => symbol.path === target?.path),
      };
    }
    case 'list_repos': {
      const answer = await gateway.context.listRepos({});
      return { returned: [], found: answer.repos.some((repo) => repo.name === testCase.repo) };
    }
    case 'mcp_read_file': {
      const result = await mcp.callTool({
        name: 'read_file',
        arguments: { repo: testCase.repo, path: testCase.requestedPath },
      });
      if (result.isError) return { returned: [], found: false };
      const file = result.structuredContent as { repo: string; path: string; text: string };
      return { returned: [{ repo: file.repo, path: file.path }], found: file.text.includes(marker) };
    }
    case 'explain': {
      // why: Explain runs the Casbin enforcer; the shards enforce the scope derived from it; both must match the reference.
      const user = matrixUser(world, testCase.user);
      const request = {
        issuer: world.issuer,
        subject: user.subject,
        groups: [...user.groups],
        roles: [...user.roles],
        repo: testCase.repo,
        path: testCase.requestedPath,
      };
      const decision = await admins.get(user.tenant)!.policy.explain(request).catch(refusal);
      return { returned: [], found: 'allowed' in decision && decision.allowed };
    }
    case 'mcp_search': {
      const result = await mcp.callTool({ name: 'search_code', arguments: { query: marker, top_k: 50 } });
      const results = result.isError
        ? []
        : (result.structuredContent as { results: { repo: string; path: string; text: string }[] }).results;
      return {
        returned: results.map(({ repo, path }) => ({ repo, path })),
        found: results.some((hit) => hit.repo === testCase.repo && hit.path === target?.path),
      };
    }
  }
}

/** What the reference says the case should find; surfaces without a path argument see the canonical file or nothing. */
function expectation(testCase: MatrixCase, principal: ReferencePrincipal): boolean {
  if (testCase.surface === 'list_repos') return expectedRepos(world, testCase.user).includes(testCase.repo);
  // why: a decision does not depend on whether a file exists, so Explain is held to the predicate for the path as asked.
  if (testCase.surface === 'explain')
    return referenceReadable(principal, world.memberships, world.rules, testCase.repo, testCase.requestedPath);
  if (testCase.surface === 'find_symbol' || testCase.surface === 'mcp_search') {
    const target = sourceFile(testCase);
    if (!target || (testCase.surface === 'find_symbol' && !target.symbol)) return false;
    return referenceReadable(principal, world.memberships, world.rules, testCase.repo, target.path);
  }
  return testCase.expectReadable;
}

describe('permission matrix against the reference predicate', () => {
  it('returns exactly what the reference allows on every surface, and never leaks', async () => {
    const cases = generateCases(world);
    expect(cases.length).toBeGreaterThanOrEqual(2_000);
    const leaks: string[] = [];
    const mismatches: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const testCase = cases[next++]!;
        const principal = matrixPrincipal(world, matrixUser(world, testCase.user));
        const seen = await observe(testCase);
        const label = `${testCase.user} ${testCase.surface} ${testCase.repo}:${testCase.requestedPath} (${testCase.variant})`;
        for (const item of seen.returned) {
          if (!referenceReadable(principal, world.memberships, world.rules, item.repo, item.path))
            leaks.push(`${label} returned ${item.repo}:${item.path}`);
        }
        const expected = expectation(testCase, principal);
        if (seen.found !== expected)
          mismatches.push(
            `${label}: expected ${expected ? 'found' : 'nothing'}, got ${seen.found ? 'found' : 'nothing'}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const bySurface = new Map<string, number>();
    for (const testCase of cases) bySurface.set(testCase.surface, (bySurface.get(testCase.surface) ?? 0) + 1);
    process.stdout.write(
      `permission matrix: ${cases.length} cases (${[...bySurface].map(([surface, count]) => `${surface} ${count}`).join(', ')}), ${leaks.length} leaks, ${mismatches.length} mismatches\n`,
    );
    expect(leaks.slice(0, 20)).toEqual([]);
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 600_000);
});
