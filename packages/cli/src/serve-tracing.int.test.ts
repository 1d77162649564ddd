import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ContextService, IndexState } from '@conexus/api';
import { SILENT_LOGGER, startTracing, type Tracing } from '@conexus/telemetry';
import { startEmbeddedServer, type EmbeddedServer } from './serve-embedded.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-trace-'));
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let server: EmbeddedServer;

beforeAll(async () => {
  tracing = startTracing('conexus-test', {}, exporter);
  const repo = join(scratch, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'billing.py'), 'def invoice_total(lines):\n    return sum(line.amount for line in lines)\n');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
  let done: () => void;
  const indexed = new Promise<void>((resolve) => (done = resolve));
  server = await startEmbeddedServer({
    dataDir: join(scratch, 'data'),
    port: 0,
    host: '127.0.0.1',
    index: [repo],
    embedderSpec: 'none',
    env: {},
    log: SILENT_LOGGER,
    onIndexEvent: (event) => event.state === IndexState.DONE && done(),
  });
  await indexed;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await tracing?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it('traces a search from the gateway through the query service to the shard that answers', async () => {
  exporter.reset();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const client = createClient(ContextService, createGrpcTransport({ baseUrl: server.gateway.url }));
  await client.search(
    { query: 'invoice total', repos: ['repo'] },
    { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
  );
  const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const byName = (pattern: RegExp): ReadableSpan => spans.find((span) => pattern.test(span.name))!;
  const gateway = byName(/^conexus\.v1\.ContextService\/Search$/);
  const query = byName(/^conexus\.query\.search reply$/);
  const shard = byName(/^conexus\.shard\.\d+\.search reply$/);
  expect(gateway && query && shard).toBeTruthy();
  const parentOf = (span: ReadableSpan): ReadableSpan | undefined =>
    spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);
  const ancestors = (span: ReadableSpan): string[] => {
    const chain: string[] = [];
    for (let current = parentOf(span); current; current = parentOf(current)) chain.push(current.name);
    return chain;
  };
  expect(ancestors(shard)).toEqual([
    expect.stringMatching(/^conexus\.shard\.\d+\.search request$/),
    'conexus.query.search reply',
    'conexus.query.search request',
    'conexus.v1.ContextService/Search',
  ]);
  expect(gateway.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
});
