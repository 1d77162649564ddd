import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { Client as McpClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { create, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  ContextService,
  Health,
  HealthCheckResponse_ServingStatus,
  IndexService,
  IndexState,
  ResultUnit,
  ServerReflection,
  ServerReflectionRequestSchema,
  type IndexEvent,
} from '@conexus/api';
import { createChunker } from '@conexus/chunking';
import { createShardedEngine } from '@conexus/engine';
import { SILENT_LOGGER } from '@conexus/telemetry';
import { eventually } from '@conexus/testkit';
import { startEmbeddedServer, type EmbeddedServer } from './serve-embedded.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-serve-'));
const dataDir = join(scratch, 'data');
const repo = join(scratch, 'shop');
const events: IndexEvent[] = [];
let server: EmbeddedServer;

function commit(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
}

const until = <T>(find: () => T | undefined): Promise<T> => eventually(find, 30_000, 'an index event');

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: repo });
  commit({
    'shop/cart.py':
      'class Cart:\n    def total(self, items):\n        """Sum of item prices with tax."""\n        return sum(item.price for item in items) * 1.2\n',
    'shop/shipping.go':
      'package shop\n\n// ShippingCost returns the cost to ship a parcel by weight.\nfunc ShippingCost(weightKg float64) float64 {\n\treturn 4.5 + weightKg*1.1\n}\n',
    'README.md': '# Shop\n\nA tiny shop with a cart and shipping.\n',
  });
  server = await startEmbeddedServer({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    index: [repo],
    embedderSpec: 'none',
    env: process.env,
    log: SILENT_LOGGER,
    onIndexEvent: (event) => events.push(event),
  });
  await until(() => events.find((event) => event.state === IndexState.DONE));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

const post = (path: string, body: unknown) =>
  fetch(`${server.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('embedded server', () => {
  it('answers Connect JSON over HTTP/1.1, gRPC and gRPC-Web with the same results as the engine', async () => {
    const response = await post('/conexus.v1.ContextService/Search', { query: 'cart total with tax', topK: 3 });
    expect(response.status).toBe(200);
    const json = (await response.json()) as {
      results: { repo: string; path: string; startLine: number; score: number; commit: string }[];
    };
    expect(json.results[0]).toMatchObject({ repo: 'shop', path: 'shop/cart.py' });
    expect(json.results[0]!.commit).toMatch(/^[0-9a-f]{40}$/);

    const grpc = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const web = createClient(
      ContextService,
      createGrpcWebTransport({ baseUrl: server.gateway.url, httpVersion: '1.1' }),
    );
    for (const client of [grpc, web]) {
      const answer = await client.search({ query: 'cart total with tax', topK: 3 });
      expect(answer.results.map((result) => [result.path, result.startLine, result.score])).toEqual(
        json.results.map((result) => [result.path, result.startLine, result.score ?? 0]),
      );
    }

    const engine = createShardedEngine({ dataDir, chunker: await createChunker() });
    try {
      const direct = await engine.search({ query: 'cart total with tax', top: 3 });
      expect(direct.results.map((result) => [result.path, result.startLine, result.score])).toEqual(
        json.results.map((result) => [result.path, result.startLine, result.score ?? 0]),
      );
    } finally {
      await engine.close();
    }
  });

  it('serves files, symbols, repositories and index status', async () => {
    const client = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const file = await client.getFile({ repo: 'shop', path: 'shop/shipping.go', startLine: 3, endLine: 4 });
    expect(file.text).toBe(
      '// ShippingCost returns the cost to ship a parcel by weight.\nfunc ShippingCost(weightKg float64) float64 {\n',
    );
    expect(file.totalLines).toBe(6);
    const symbols = await client.findSymbol({ name: 'Cart.*' });
    expect(symbols.symbols.map((symbol) => symbol.symbol)).toContain('Cart.total');
    expect((await client.findSymbol({ name: 'shippingcost' })).symbols[0]).toMatchObject({
      path: 'shop/shipping.go',
      symbol: 'ShippingCost',
      endLine: 6,
    });
    const repos = await client.listRepos({});
    expect(repos.repos.map((entry) => entry.name)).toEqual(['shop']);
    expect(repos.partial).toBe(false);
    const status = await createClient(
      IndexService,
      createGrpcTransport({ baseUrl: server.gateway.url }),
    ).getIndexStatus({ repo: 'shop' });
    expect(status.event?.state).toBe(IndexState.DONE);
  });

  it('budgets tokens without cutting lines', async () => {
    const client = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const answer = await client.search({ query: 'cart shipping shop', topK: 10, maxTokens: 30 });
    expect(answer.tokens).toBeLessThanOrEqual(30);
    expect(answer.results.length).toBeGreaterThan(0);
    for (const result of answer.results) {
      const lines = await client.getFile({
        repo: result.repo,
        path: result.path,
        startLine: result.startLine,
        endLine: result.endLine,
      });
      expect(result.text.replace(/\n?$/, '\n')).toBe(lines.text);
    }
  });

  it('re-indexes and streams progress until the job is done', async () => {
    commit({ 'shop/discount.py': 'def apply_discount(total, percent):\n    return total * (1 - percent / 100)\n' });
    const index = createClient(IndexService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const { jobId } = await index.reindex({ repo: 'shop' });
    const states: IndexState[] = [];
    for await (const update of index.watchIndexStatus({ repo: 'shop' })) {
      if (update.event?.jobId === jobId) states.push(update.event.state);
    }
    expect(states.at(-1)).toBe(IndexState.DONE);
    const done = await until(() => events.find((event) => event.jobId === jobId && event.state === IndexState.DONE));
    expect(done.filesIndexed).toBe(1);
    const client = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
    expect(
      (await client.search({ query: 'apply discount percent', topK: 1, unit: ResultUnit.FILE })).results[0]?.path,
    ).toBe('shop/discount.py');
  });

  it('returns a split symbol whole when the budget has room for it', async () => {
    const steps = Array.from(
      { length: 35 },
      (_, i) => `    ledger_${i} = amount * ${i}  # posting step ${i} of the quarterly reconciliation`,
    );
    commit({ 'shop/reconcile.py': `def reconcile_quarter(amount):\n${steps.join('\n')}\n    return amount\n` });
    const index = createClient(IndexService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const { jobId } = await index.reindex({ repo: 'shop' });
    await until(() => events.find((event) => event.jobId === jobId && event.state === IndexState.DONE));
    const client = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const plain = await client.search({ query: 'posting step 12 quarterly reconciliation', topK: 3, repos: ['shop'] });
    expect(plain.results[0]).toMatchObject({ path: 'shop/reconcile.py', symbol: 'reconcile_quarter' });
    expect(plain.results[0]!.endLine - plain.results[0]!.startLine).toBeLessThan(36);
    // why: one result only, so a whole function can come from expansion alone, not from merging two parts.
    const budgeted = await client.search({
      query: 'posting step 12 quarterly reconciliation',
      topK: 1,
      repos: ['shop'],
      maxTokens: 20000,
    });
    expect(budgeted.results[0]).toMatchObject({ path: 'shop/reconcile.py', startLine: 1, endLine: 37 });
    expect(budgeted.results.filter((result) => result.path === 'shop/reconcile.py')).toHaveLength(1);
  });

  it('maps typed errors to gRPC codes and HTTP statuses', async () => {
    const client = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const failure = await client.getFile({ repo: 'ghost', path: 'a.py' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).code).toBe(Code.NotFound);
    expect((await post('/conexus.v1.ContextService/Search', { query: 'x', topK: 5000 })).status).toBe(400);
    expect((await post('/conexus.v1.ContextService/GetFile', { repo: 'shop', path: 'nope.py' })).status).toBe(404);
    expect((await post('/conexus.v1.ContextService/Search', '{not json')).status).toBe(400);
    const huge = await post('/conexus.v1.ContextService/Search', { query: 'x'.repeat(5 * 1024 * 1024) });
    expect(huge.status).not.toBe(200);
    expect(((await huge.json()) as { code: string }).code).toBe('resource_exhausted');
    const invalid = await createClient(IndexService, createGrpcTransport({ baseUrl: server.gateway.url }))
      .addRepo({ repo: '--upload-pack=evil', source: { source: { case: 'gitUrl', value: 'https://github.com/a/b' } } })
      .catch((error: unknown) => error);
    expect((invalid as ConnectError).code).toBe(Code.InvalidArgument);
  });

  it('reports health, readiness and metrics', async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: server.gateway.url }));
    expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(await (await fetch(`${server.gateway.url}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${server.gateway.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.gateway.url}/metrics`)).text();
    expect(metrics).toContain(
      'conexus_request_duration_seconds_bucket{le="0.005",method="conexus.v1.ContextService/Search",code="ok"}',
    );
    expect(metrics).toMatch(/conexus_index_queue_depth\{shard="0"\} 0/);
  });

  it('answers gRPC server reflection', async () => {
    const reflection = createClient(ServerReflection, createGrpcTransport({ baseUrl: server.gateway.url }));
    async function* ask() {
      yield create(ServerReflectionRequestSchema, { messageRequest: { case: 'listServices', value: '' } });
      yield create(ServerReflectionRequestSchema, {
        messageRequest: { case: 'fileContainingSymbol', value: 'conexus.v1.ContextService.Search' },
      });
      yield create(ServerReflectionRequestSchema, {
        messageRequest: { case: 'fileContainingSymbol', value: 'no.such.Thing' },
      });
    }
    const answers = [];
    for await (const answer of reflection.serverReflectionInfo(ask())) answers.push(answer.messageResponse);
    expect(
      answers[0]?.case === 'listServicesResponse' && answers[0].value.service.map((service) => service.name),
    ).toEqual([
      'conexus.v1.ContextService',
      'conexus.v1.IndexService',
      'conexus.v1.PolicyService',
      'grpc.health.v1.Health',
      'grpc.reflection.v1.ServerReflection',
    ]);
    const files =
      answers[1]?.case === 'fileDescriptorResponse'
        ? answers[1].value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name)
        : [];
    expect(files).toEqual(['conexus/v1/context_service.proto']);
    expect(answers[2]?.case).toBe('errorResponse');
  });

  it.each([
    ['2025 handshake', 'legacy' as const],
    ['2026-07-28', { pin: '2026-07-28' as const }],
  ])('serves MCP over Streamable HTTP at /mcp (%s)', async (_label, mode) => {
    const client = new McpClient({ name: 'conexus-test', version: '1.0.0' }, { versionNegotiation: { mode } });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.gateway.url}/mcp`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'find_symbol',
        'index_status',
        'list_repos',
        'read_file',
        'reindex',
        'search_code',
      ]);
      const found = await client.callTool({
        name: 'search_code',
        arguments: { query: 'shipping cost by weight', top_k: 2, unit: 'file' },
      });
      expect((found.structuredContent as { results: { path: string }[] }).results[0]?.path).toBe('shop/shipping.go');
      // why: /mcp calls the RPC handlers in memory; their typed errors must arrive as such, not as "internal error".
      const missing = await client.callTool({
        name: 'read_file',
        arguments: { repo: 'shop', path: 'shop/no-such-file.py' },
      });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toMatch(/not found/);
    } finally {
      await client.close();
    }
  });

  it('refuses MCP requests from another Host or browser Origin', async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          `${server.gateway.url}/mcp`,
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
        request.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      });
    expect(await status({ host: 'evil.example' })).toBe(403);
    expect(await status({ origin: 'https://evil.example' })).toBe(403);
  });

  it("answers Continue's HTTP context provider", async () => {
    const items = (await (
      await post('/continue?unit=file&top_k=2', {
        query: '',
        fullInput: 'how is the shipping cost of a parcel computed?',
      })
    ).json()) as { name: string; description: string; content: string }[];
    expect(items[0]?.name).toMatch(/^shop\/shipping\.go:\d+-\d+$/);
    expect(items[0]?.description).toMatch(/^shop\/shop\/shipping\.go:\d+-\d+ .*@ [0-9a-f]{12}$/);
    expect((await post('/continue', { query: '' })).status).toBe(400);
    expect((await post('/continue', 'not json')).status).toBe(400);
  });

  it('answers not_found at once when asked to watch a repository it has never heard of', async () => {
    const index = createClient(IndexService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const watched = (async () => {
      for await (const update of index.watchIndexStatus({ repo: 'never-added' }, { timeoutMs: 5_000 })) void update;
    })();
    await expect(watched).rejects.toMatchObject({ code: Code.NotFound });
  });

  it('indexes only under its source roots and refuses hostile git URLs before queuing a job', async () => {
    const index = createClient(IndexService, createGrpcTransport({ baseUrl: server.gateway.url }));
    const codeOf = (source: { case: 'path' | 'gitUrl'; value: string }) =>
      index.addRepo({ repo: 'probe', source: { source: source } }).then(
        () => 'queued',
        (error: unknown) => ConnectError.from(error).code,
      );
    expect(await codeOf({ case: 'path', value: '/etc' })).toBe(Code.PermissionDenied);
    expect(await codeOf({ case: 'path', value: `${repo}/../..` })).toBe(Code.PermissionDenied);
    expect(await codeOf({ case: 'gitUrl', value: 'file:///etc' })).not.toBe('queued');
    expect(await codeOf({ case: 'gitUrl', value: 'https://github.com\\@127.0.0.1:9999/x.git' })).not.toBe('queued');
    expect(await codeOf({ case: 'gitUrl', value: 'https://127.0.0.1:9999/x.git' })).toBe(Code.PermissionDenied);
  });

  it('releases its port when an --index folder is missing', async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise((resolve) => probe.close(resolve));
    const options = {
      dataDir: join(scratch, 'missing'),
      port,
      host: '127.0.0.1',
      embedderSpec: 'none',
      env: process.env,
      log: SILENT_LOGGER,
    };
    await expect(startEmbeddedServer({ ...options, index: [join(scratch, 'no-such-folder')] })).rejects.toMatchObject({
      code: 'not_found',
    });
    const again = await startEmbeddedServer({ ...options, index: [] });
    await again.stop();
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(
      startEmbeddedServer({
        dataDir,
        port: 0,
        host: '0.0.0.0',
        index: [],
        embedderSpec: 'none',
        env: process.env,
        log: SILENT_LOGGER,
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
