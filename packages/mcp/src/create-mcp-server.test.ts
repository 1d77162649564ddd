import { afterEach, describe, expect, it } from '@jest/globals';
import { Code, ConnectError, createRouterTransport } from '@connectrpc/connect';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { ContextService, IndexService } from '@conexus/api';
import { createGatewayClient, type GatewayClient } from '@conexus/client';
import { ConexusError } from '@conexus/kernel';
import { createConexusMcpServer } from './create-mcp-server.js';

const TOOLS = [
  ['read_file', { repo: 'payments', path: 'billing/invoice.py' }],
  ['search_code', { query: 'invoice total' }],
  ['find_symbol', { name: 'Invoice.total' }],
  ['list_repos', {}],
  ['index_status', { repo: 'payments' }],
] as const;

let client: Client | undefined;
afterEach(async () => client?.close());

async function connect(gateway: GatewayClient): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createConexusMcpServer(gateway, 'test').connect(serverSide);
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
