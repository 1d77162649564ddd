import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-mcp-'));
const repo = join(scratch, 'payments');

beforeAll(() => {
  mkdirSync(join(repo, 'billing'), { recursive: true });
  writeFileSync(
    join(repo, 'billing', 'invoice.py'),
    [
      'class Invoice:',
      '    def total(self, lines):',
      '        """Sum of line amounts including VAT."""',
      '        return sum(line.amount for line in lines) * 1.2',
      '',
      '    def refund(self, amount):',
      '        return -amount',
      '',
    ].join('\n'),
  );
  writeFileSync(join(repo, 'README.md'), '# Payments\n\nInvoices and refunds.\n');
  writeFileSync(
    join(repo, 'billing', 'ledger.py'),
    Array.from({ length: 200 }, (_, i) => `ENTRY_${i} = ${i}  # ledger entry number ${i}`).join('\n') + '\n',
  );
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

type Structured = Record<string, unknown> & {
  results?: { repo: string; path: string; start_line: number; end_line: number; commit: string }[];
};

async function connect(mode: 'legacy' | { pin: '2026-07-28' }, dataDir: string): Promise<Client> {
  const client = new Client({ name: 'conexus-test', version: '1.0.0' }, { versionNegotiation: { mode } });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'mcp', '--index', repo, '--data-dir', dataDir],
    env: { ...process.env, CONEXUS_EMBEDDER: 'none' },
    stderr: 'ignore',
  });
  await client.connect(transport);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await client.callTool({ name: 'index_status', arguments: { repo: 'payments' } });
    if ((status.structuredContent as { state?: string } | undefined)?.state === 'done') return client;
    if (Date.now() > deadline) throw new Error('payments was not indexed in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each([
  ['2025 handshake (initialize)', 'legacy' as const],
  ['2026-07-28', { pin: '2026-07-28' as const }],
])('conexus mcp over stdio, %s', (_label, mode) => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(mode, join(scratch, `data-${typeof mode === 'string' ? mode : 'modern'}`));
  }, 90_000);
  afterAll(async () => client?.close());

  it('lists read-only tools and reindex, with output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'find_symbol',
      'index_status',
      'list_repos',
      'read_file',
      'reindex',
      'search_code',
    ]);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint).toBe(tool.name !== 'reindex');
      expect(tool.outputSchema).toBeDefined();
    }
    if (typeof mode !== 'string') expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  });

  it('searches code and names repo, path, lines and commit', async () => {
    const result = await client.callTool({
      name: 'search_code',
      arguments: { query: 'invoice total including VAT', top_k: 3 },
    });
    const structured = result.structuredContent as Structured;
    expect(structured.results?.[0]).toMatchObject({ repo: 'payments', path: 'billing/invoice.py' });
    expect(structured.results?.[0]?.commit).toMatch(/^[0-9a-f]{40}$/);
    const text = (result.content as { type: string; text: string }[])[0]!.text;
    // why: the project's paths are shown relative to its root, as read_file takes them.
    expect(text).toMatch(/^billing\/invoice\.py:\d+-\d+ .*@ [0-9a-f]{12}\n```python\n/);
  });

  it('reads files within a budget, ending at a line boundary', async () => {
    const whole = await client.callTool({
      name: 'read_file',
      arguments: { repo: 'payments', path: 'billing/invoice.py', start_line: 2, end_line: 4 },
    });
    expect(whole.structuredContent).toMatchObject({
      start_line: 2,
      end_line: 4,
      truncated: false,
      text: '    def total(self, lines):\n        """Sum of line amounts including VAT."""\n        return sum(line.amount for line in lines) * 1.2\n',
    });
    const cut = await client.callTool({
      name: 'read_file',
      arguments: { repo: 'payments', path: 'billing/ledger.py', max_tokens: 100 },
    });
    const structured = cut.structuredContent as {
      end_line: number;
      text: string;
      truncated: boolean;
      next_start_line: number;
      total_lines: number;
    };
    expect(structured).toMatchObject({ start_line: 1, truncated: true, total_lines: 200 });
    expect(structured.text.length).toBeLessThanOrEqual(400);
    expect(structured.text.split('\n').slice(0, -1)).toEqual(
      Array.from({ length: structured.end_line }, (_, i) => `ENTRY_${i} = ${i}  # ledger entry number ${i}`),
    );
    expect(structured.next_start_line).toBe(structured.end_line + 1);
  });

  it('finds symbols and lists repositories', async () => {
    const found = await client.callTool({ name: 'find_symbol', arguments: { name: 'Invoice.*' } });
    expect(
      (found.structuredContent as { symbols: { symbol: string }[] }).symbols.map((symbol) => symbol.symbol).sort(),
    ).toEqual(['Invoice.refund', 'Invoice.total']);
    const repos = await client.callTool({ name: 'list_repos', arguments: {} });
    expect((repos.structuredContent as { repos: { name: string }[] }).repos.map((entry) => entry.name)).toEqual([
      'payments',
    ]);
  });

  it('reports a bad request as a tool error the model can read', async () => {
    const missing = await client.callTool({ name: 'read_file', arguments: { repo: 'ghost', path: 'a.py' } });
    expect(missing.isError).toBe(true);
    expect((missing.content as { text: string }[])[0]!.text).toMatch(/^not found: /);
  });
});

type Reply = {
  id?: string | number | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
};

/** `conexus mcp` as a bare process: raw lines in, replies and the embedded gateway's port out. */
interface McpProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  send(message: unknown): void;
  reply(id: string | number | null): Promise<Reply>;
  /** Milliseconds from now until the process exits. */
  exit(): Promise<number>;
}

let runs = 0;
const running = new Set<ChildProcessWithoutNullStreams>();
// why: a process that wedges must not outlive its test; the test has failed by then, and says so.
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

async function startMcp(): Promise<McpProcess> {
  const child = spawn(
    process.execPath,
    [bin, 'mcp', '--index', repo, '--data-dir', join(scratch, `process-${runs++}`), '--embedder', 'none'],
    { stdio: 'pipe' },
  );
  running.add(child);
  const replies: Reply[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString('utf8');
    for (let newline = stdout.indexOf('\n'); newline !== -1; newline = stdout.indexOf('\n')) {
      replies.push(JSON.parse(stdout.slice(0, newline)) as Reply);
      stdout = stdout.slice(newline + 1);
    }
    for (const waiter of waiters) waiter();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
      const url = /embedded gateway on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (url) resolve(Number(url[1]));
    });
    void exited.then(() => reject(new Error(`conexus mcp exited: ${stderr}`)));
  });
  return {
    child,
    port,
    send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    reply: (id) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = replies.find((reply) => reply.id === id);
          if (!found) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
        void exited.then(() => reject(new Error(`conexus mcp exited before answering ${id}`)));
      }),
    exit: async () => {
      const from = performance.now();
      await exited;
      return performance.now() - from;
    },
  };
}

async function initialize(mcp: McpProcess): Promise<void> {
  mcp.send({
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  expect((await mcp.reply('init')).result).toBeDefined();
  mcp.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
}

function refusesConnections(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const OVERSIZE = 11 * 1024 * 1024;

describe('conexus mcp as a process', () => {
  it('answers a line over 10 MiB with an error, goes on, and exits within a second of stdin closing', async () => {
    const mcp = await startMcp();
    await initialize(mcp);
    mcp.child.stdin.write(
      `{"jsonrpc":"2.0","id":"big","method":"tools/list","params":{"pad":"${'x'.repeat(OVERSIZE)}"}}\n`,
    );
    mcp.send({ jsonrpc: '2.0', id: 'after', method: 'tools/list' });
    const refusal = await mcp.reply(null);
    expect([-32700, -32600]).toContain(refusal.error?.code);
    expect(((await mcp.reply('after')).result?.tools as unknown[]).length).toBe(6);
    mcp.send({ jsonrpc: '2.0', id: 'bad', method: 'tools/list', params: 7 });
    expect((await mcp.reply('bad')).error?.code).toBe(-32600);
    mcp.child.stdin.write('not json\n');
    expect((await mcp.reply(null)).error).toBeDefined();
    mcp.child.stdin.end();
    expect(await mcp.exit()).toBeLessThan(1000);
    expect(await refusesConnections(mcp.port)).toBe('ECONNREFUSED');
  });

  it('exits within a second when stdin closes in the middle of an oversize line', async () => {
    const mcp = await startMcp();
    mcp.child.stdin.write('x'.repeat(OVERSIZE));
    expect((await mcp.reply(null)).error).toBeDefined();
    mcp.child.stdin.end('x'.repeat(1024));
    expect(await mcp.exit()).toBeLessThan(1000);
    expect(await refusesConnections(mcp.port)).toBe('ECONNREFUSED');
  });

  it('exits within a second when stdin closes while a tool call runs', async () => {
    const mcp = await startMcp();
    await initialize(mcp);
    mcp.send({
      jsonrpc: '2.0',
      id: 'search',
      method: 'tools/call',
      params: { name: 'search_code', arguments: { query: 'invoice total including VAT' } },
    });
    mcp.child.stdin.end();
    expect(await mcp.exit()).toBeLessThan(1000);
    expect(await refusesConnections(mcp.port)).toBe('ECONNREFUSED');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits within a second of %s and frees its port', async (signal) => {
    const mcp = await startMcp();
    await initialize(mcp);
    mcp.child.kill(signal);
    expect(await mcp.exit()).toBeLessThan(1000);
    expect(await refusesConnections(mcp.port)).toBe('ECONNREFUSED');
  });
});
