import { afterEach, describe, expect, it } from '@jest/globals';
import { Code, ConnectError, createRouterTransport } from '@connectrpc/connect';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { ContextService, IndexService, IndexState } from '@conexus/api';
import { createGatewayClient, type GatewayClient } from '@conexus/client';
import { ConexusError } from '@conexus/kernel';
import { createConexusMcpServer, type ConexusMcpOptions } from './create-mcp-server.js';

const TOOLS = [
  ['read_file', { repo: 'payments', path: 'billing/invoice.py' }],
  ['search_code', { query: 'invoice total' }],
  ['find_symbol', { name: 'Invoice.total' }],
  ['list_repos', {}],
  ['index_status', { repo: 'payments' }],
] as const;

let client: Client | undefined;
afterEach(async () => client?.close());

async function connect(gateway: GatewayClient, options: ConexusMcpOptions = {}): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createConexusMcpServer(gateway, 'test', options).connect(serverSide);
  client = new Client({ name: 'conexus-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

/** A gateway, over Connect's in-memory router, whose every method fails with `failure`. */
function failingGateway(failure: () => Error): GatewayClient {
  const fail = async (): Promise<never> => {
    throw failure();
  };
  return createGatewayClient(
    createRouterTransport((router) => {
      router.service(ContextService, { search: fail, getFile: fail, findSymbol: fail, listRepos: fail });
      router.service(IndexService, { getIndexStatus: fail });
    }),
  );
}

async function failureText(mcp: Client, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await mcp.callTool({ name: tool, arguments: args });
  expect(result.isError).toBe(true);
  return (result.content as { text: string }[])[0]!.text;
}

describe('a failed tool call names the failure', () => {
  it.each([
    [
      'NotFound',
      Code.NotFound,
      'no file billing/invoice.py in repository "payments"',
      'not found: no file billing/invoice.py in repository "payments"',
    ],
    [
      'PermissionDenied',
      Code.PermissionDenied,
      'permission denied: billing/** is denied to user:alice',
      'permission denied: billing/** is denied to user:alice',
    ],
    [
      'InvalidArgument',
      Code.InvalidArgument,
      'line range 50-1 is outside the file (1 lines)',
      'invalid argument: line range 50-1 is outside the file (1 lines)',
    ],
    [
      'Unauthenticated',
      Code.Unauthenticated,
      'token expired',
      'unauthenticated: token expired (the Conexus gateway needs valid credentials)',
    ],
    [
      'Unavailable',
      Code.Unavailable,
      'no query service answered',
      'unavailable: no query service answered (try again shortly)',
    ],
    [
      'DeadlineExceeded',
      Code.DeadlineExceeded,
      'shard 2 did not answer in 10 s',
      'deadline exceeded: shard 2 did not answer in 10 s (try again, or narrow the request)',
    ],
    [
      'ResourceExhausted',
      Code.ResourceExhausted,
      'rate limit',
      'resource exhausted: rate limit (try again later, or ask for less)',
    ],
  ] as const)('in every tool, Connect code %s', async (_name, code, message, expected) => {
    const mcp = await connect(failingGateway(() => new ConnectError(message, code)));
    for (const [tool, args] of TOOLS) expect(await failureText(mcp, tool, args)).toBe(expected);
  });

  it('from a typed ConexusError thrown by the gateway client itself', async () => {
    const context = {
      getFile: async () => Promise.reject(new ConexusError('permission_denied', 'billing/** is denied')),
    };
    const mcp = await connect({ context } as unknown as GatewayClient);
    expect(await failureText(mcp, 'read_file', { repo: 'payments', path: 'billing/invoice.py' })).toBe(
      'permission denied: billing/** is denied',
    );
  });

  it('as an internal error only when it was unexpected, without its details', async () => {
    const mcp = await connect(failingGateway(() => new Error('SQLITE_CORRUPT at /var/lib/conexus/shard-0.db')));
    for (const [tool, args] of TOOLS) expect(await failureText(mcp, tool, args)).toBe('internal error');
    const context = { getFile: async () => Promise.reject(new TypeError('Cannot read properties of undefined')) };
    const direct = await connect({ context } as unknown as GatewayClient);
    expect(await failureText(direct, 'read_file', { repo: 'payments', path: 'a.py' })).toBe('internal error');
  });

  it('on one line, whatever the message holds', async () => {
    const mcp = await connect(
      failingGateway(
        () =>
          new ConnectError('no file a.py\n\nb.py:1-2 @ 0123456789ab\x1b[2J in repository "payments"', Code.NotFound),
      ),
    );
    expect(await failureText(mcp, 'read_file', { repo: 'payments', path: 'a.py' })).toBe(
      'not found: no file a.py\\n\\nb.py:1-2 @ 0123456789ab\\u001b[2J in repository "payments"',
    );
  });
});

const PROJECT = { repo: 'payments', root: '/home/ada/payments' };
const HIT = {
  repo: 'payments',
  path: 'billing/invoice.py',
  startLine: 1,
  endLine: 2,
  commit: 'c0ffee',
  symbol: 'total',
};

/** A gateway over Connect's in-memory router that knows `payments` (in `state`) and `ledger`, and records scopes. */
function projectGateway(state: IndexState, snapshot: boolean, asked: string[][]): GatewayClient {
  const scoped = (repos: string[]) => {
    asked.push(repos);
    if (!snapshot && repos.includes('payments')) throw new ConnectError('unknown repository "payments"', Code.NotFound);
    return (repos.length === 0 ? ['payments', 'ledger'] : repos).map((repo) => ({ ...HIT, repo }));
  };
  return createGatewayClient(
    createRouterTransport((router) => {
      router.service(ContextService, {
        search: (request) => ({ results: scoped(request.repos) }),
        findSymbol: (request) => ({ symbols: scoped(request.repos) }),
        getFile: (request) => ({ ...HIT, repo: request.repo, path: request.path, text: 'x\n', totalLines: 1 }),
      });
      router.service(IndexService, {
        getIndexStatus: (request) => ({
          event: { repo: request.repo, state, progress: { done: 40, total: 100, perSecond: 8, etaSeconds: 7.5 } },
        }),
        reindex: (request) => ({ jobId: `job-${request.repo}` }),
      });
    }),
  );
}

const textOf = (result: { content: unknown }): string => (result.content as { text: string }[])[0]!.text;

describe('a server started for a project', () => {
  it("searches only the project's repository unless others are named", async () => {
    const asked: string[][] = [];
    const mcp = await connect(projectGateway(IndexState.DONE, true, asked), { project: PROJECT });
    const search = await mcp.callTool({ name: 'search_code', arguments: { query: 'total' } });
    const symbols = await mcp.callTool({ name: 'find_symbol', arguments: { name: 'total' } });
    const other = await mcp.callTool({ name: 'search_code', arguments: { query: 'total', repos: ['ledger'] } });
    expect(asked).toEqual([['payments'], ['payments'], ['ledger']]);
    expect(textOf(search)).toBe('billing/invoice.py:1-2 total @ c0ffee');
    expect(search.structuredContent).toMatchObject({ partial: false });
    expect(search.structuredContent).not.toHaveProperty('notice');
    expect(textOf(symbols)).toBe('billing/invoice.py:1-2 total @ c0ffee');
    expect(textOf(other)).toBe('ledger/billing/invoice.py:1-2 total @ c0ffee');
  });

  it('says first that the project is being indexed, never "No matching code" alone nor other code', async () => {
    const asked: string[][] = [];
    const mcp = await connect(projectGateway(IndexState.INDEXING, false, asked), { project: PROJECT });
    const search = await mcp.callTool({ name: 'search_code', arguments: { query: 'total' } });
    expect(textOf(search)).toBe(
      '(indexing /home/ada/payments, 40 %: results may be incomplete)\n\nNo matching code yet.',
    );
    expect(search.structuredContent).toMatchObject({ results: [], partial: true });
    const symbols = await mcp.callTool({ name: 'find_symbol', arguments: { name: 'total' } });
    expect(textOf(symbols)).toMatch(
      /^\(indexing \/home\/ada\/payments, 40 %: results may be incomplete\)\n\nNo definition/,
    );
    expect(asked.every((repos) => repos.length === 1 && repos[0] === 'payments')).toBe(true);
  });

  it('says that results are lexical while embedding', async () => {
    const mcp = await connect(projectGateway(IndexState.EMBEDDING, true, []), { project: PROJECT });
    const search = await mcp.callTool({ name: 'search_code', arguments: { query: 'total' } });
    expect(textOf(search)).toBe('(lexical results; embeddings 40 %)\n\nbilling/invoice.py:1-2 total @ c0ffee');
    expect(search.structuredContent).toMatchObject({ partial: false, notice: 'lexical results; embeddings 40 %' });
  });

  it('reports phase and percent, re-indexes and reads the project by default', async () => {
    const mcp = await connect(projectGateway(IndexState.INDEXING, true, []), { project: PROJECT });
    const status = await mcp.callTool({ name: 'index_status', arguments: {} });
    expect(status.structuredContent).toMatchObject({
      repo: 'payments',
      state: 'indexing',
      percent: 40,
      progress: { done: 40, total: 100, per_second: 8, eta_seconds: 7.5 },
    });
    expect(textOf(status)).toBe('payments: indexing, 40 %, about 8 s left');
    const reindex = await mcp.callTool({ name: 'reindex', arguments: {} });
    expect(reindex.structuredContent).toEqual({ repo: 'payments', job_id: 'job-payments' });
    for (const path of ['billing/invoice.py', './billing/invoice.py', '/home/ada/payments/billing/invoice.py']) {
      const file = await mcp.callTool({ name: 'read_file', arguments: { path } });
      expect(file.structuredContent).toMatchObject({ repo: 'payments', path: 'billing/invoice.py' });
    }
  });

  it('asks for a repository where there is no project', async () => {
    const mcp = await connect(projectGateway(IndexState.DONE, true, []));
    expect(await failureText(mcp, 'reindex', {})).toBe('invalid argument: name a repository (see list_repos)');
    const search = await mcp.callTool({ name: 'search_code', arguments: { query: 'total' } });
    expect(textOf(search)).toContain('ledger/billing/invoice.py');
  });
});
