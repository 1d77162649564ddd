/**
 * Fuzzes every public route of a running `conexus serve`: every method of every service (enumerated from the
 * descriptors) in Connect JSON and binary, Connect GET, gRPC and gRPC-Web, with messages generated from the
 * message descriptors and broken on purpose; and /continue, /mcp, unknown paths, wrong methods, raw bytes.
 * Every answer must be a success or an error with a proper code, never internal, a 5xx, a reset or a hang, and
 * the server must still answer /healthz and a known search after each batch. A failure names the request
 * (fast-check's counterexample) and what came back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DescService } from '@bufbuild/protobuf';
import fc from 'fast-check';
import * as api from '@conexus/api';
import { exchange } from './exchange.js';
import { describeAnswer, type FuzzCase } from './fuzz-case.js';
import { continueCases, mcpCases, oversizeContinueCases, serverFault, unknownPathCases } from './http-cases.js';
import { envelope, envelopes } from './judge-rpc.js';
import type { Malformation } from './message-arbitraries.js';
import {
  binaryConnectCases,
  compressedCases,
  connectGetCases,
  grpcCases,
  hugeStringCases,
  invalidUtf8Cases,
  malformedJsonCases,
  nonJsonCases,
  oversizeMessageCases,
  oddEnvelopeCases,
  unknownMethodCases,
  validJsonCases,
  wrongContentTypeCases,
  type RpcWorld,
} from './rpc-cases.js';
import { rpcMethods } from './rpc-request.js';
import { KNOWN_QUERY, KNOWN_REPO, startFuzzTarget, type FuzzTarget } from './start-fuzz-target.js';

// why: the whole file must stay under a minute on a busy two-core machine: each batch stops at its own time
// budget, and all of them together within FUZZ_BUDGET_MS of the first (a hang costs one request timeout more).
const REQUEST_TIMEOUT_MS = 5_000;
const FUZZ_BUDGET_MS = 35_000;
const BATCH = { runs: 50, ms: 1_000 } as const;
const SERVICES = (Object.values(api) as unknown[]).filter(
  (value): value is DescService =>
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'service',
);
const world: RpcWorld = {
  methods: rpcMethods(SERVICES),
  known: [
    KNOWN_REPO,
    KNOWN_QUERY.path,
    'shop/shipping.go',
    'README.md',
    'Cart.total',
    'cart',
    'grpc.health.v1.Health',
    'conexus.v1.ContextService',
    'nosuchrepo',
  ],
};
const MALFORMATIONS: Malformation[] = [
  'wrong-type',
  'unknown-field',
  'unknown-enum-name',
  'unknown-enum-number',
  'out-of-range-number',
  'deep-nesting',
];
const scratch = mkdtempSync(join(tmpdir(), 'conexus-fuzz-'));
let target: FuzzTarget;
let fuzzingSince: number | null = null;

beforeAll(async () => {
  target = await startFuzzTarget(scratch);
}, 60_000);

// why: a batch that crashed the server fails; the batches after it get a fresh one.
beforeEach(async () => {
  if (target.exited()) target = await startFuzzTarget(scratch);
}, 60_000);

afterAll(async () => {
  await target?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

// why: the known repository must outlive every batch, so that "still healthy" can be checked by searching it.
const spares = (kase: FuzzCase): boolean =>
  !(/\/(AddRepo|RemoveRepo)$/.test(kase.request.path) && Buffer.from(kase.request.body ?? '').includes(KNOWN_REPO));

/** Runs a batch of cases (stopping at its time budget), then checks that the server is still healthy. */
async function fuzz(cases: fc.Arbitrary<FuzzCase>, budget: { runs: number; ms: number } = BATCH): Promise<void> {
  fuzzingSince ??= Date.now();
  const deadline = Date.now() + Math.max(200, Math.min(budget.ms, FUZZ_BUDGET_MS - (Date.now() - fuzzingSince)));
  let failure: unknown = null;
  try {
    await fc.assert(
      fc.asyncProperty(cases, async (kase) => {
        // why: past its budget a batch passes its remaining runs unsent (fast-check's own time limit would cut a
        // hanging request short and count it as passed); a failure found in time is still reported.
        if (Date.now() > deadline) return;
        // why: once the server has crashed, every later run would fail too; skipping them keeps the crashing input as the counterexample.
        fc.pre(spares(kase) && !target.exited());
        const answer = await exchange(target.url, kase.request, REQUEST_TIMEOUT_MS);
        // why: a process that died of this request closes its sockets a moment before it is seen to exit.
        if (answer.kind === 'broken') await new Promise((resolve) => setTimeout(resolve, 300));
        if (target.exited()) throw new Error(`the server crashed: ${await target.sick()}`);
        const wrong = kase.judge(answer);
        if (wrong) throw new Error(wrong);
      }),
      { numRuns: budget.runs, includeErrorInReport: true },
    );
  } catch (error) {
    failure = error;
  }
  const sick = await target.sick();
  if (failure || sick)
    throw new Error(
      [
        failure instanceof Error ? failure.message : failure && JSON.stringify(failure),
        sick && `unhealthy after the batch: ${sick}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
}

describe('the service descriptors', () => {
  it('name every service the server lists by reflection', async () => {
    const path = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
    const body = envelope(Buffer.from(JSON.stringify({ listServices: '' })));
    const answer = await exchange(
      target.url,
      { method: 'POST', path, http2: true, headers: { 'content-type': 'application/connect+json' }, body },
      REQUEST_TIMEOUT_MS,
    );
    expect(answer.kind).toBe('answered');
    const listed = envelopes(answer.kind === 'answered' ? answer.body : Buffer.alloc(0)).flatMap(
      (frame) =>
        (JSON.parse(frame.data.toString()) as { listServicesResponse?: { service: { name: string }[] } })
          .listServicesResponse?.service ?? [],
    );
    expect(listed.map((service) => service.name).sort()).toEqual(SERVICES.map((service) => service.typeName).sort());
  });
});

describe('Connect JSON, every method', () => {
  it('answers well-typed messages with a success or a proper error', () =>
    fuzz(validJsonCases(world), { runs: 80, ms: 2_500 }));
  it('answers well-typed messages to streaming methods promptly: a first message or an error, never silence', () =>
    fuzz(
      validJsonCases(world, (rpc) => rpc.streaming),
      { runs: 30, ms: 1_500 },
    ));
  it.each(MALFORMATIONS)('refuses a message with a %s with invalid_argument', (malformation) =>
    fuzz(malformedJsonCases(world, malformation), { runs: 40, ms: 800 }),
  );
  it('refuses bodies that are not a JSON object with invalid_argument', () => fuzz(nonJsonCases(world)));
  it('refuses a content type that is not Connect with 415', () =>
    fuzz(wrongContentTypeCases(world), { runs: 20, ms: 800 }));
  it('answers text that is not UTF-8 with a success or a proper error', () =>
    fuzz(invalidUtf8Cases(world), { runs: 20, ms: 800 }));
  it('answers huge strings with a success or a proper error, and resource_exhausted past the limit', () =>
    fuzz(hugeStringCases(world), { runs: 8, ms: 2_500 }));
  it('answers empty bodies and odd headers with a success or a proper error', () => fuzz(oddEnvelopeCases(world)));
});

describe('binary protocols, every method', () => {
  it('answers Connect proto (valid, truncated, random) with a success or a proper error', () =>
    fuzz(binaryConnectCases(world)));
  it('answers gRPC over HTTP/2 (valid, truncated, random, odd headers) with a success or a proper error', () =>
    fuzz(grpcCases(world, 'grpc')));
  it('answers gRPC-Web (valid, truncated, random, odd headers) with a success or a proper error', () =>
    fuzz(grpcCases(world, 'grpc-web')));
  it('answers misframed gRPC with a proper error', () => fuzz(grpcCases(world, 'grpc', true), { runs: 40, ms: 1_000 }));
  it('answers misframed gRPC-Web with a proper error', () =>
    fuzz(grpcCases(world, 'grpc-web', true), { runs: 40, ms: 1_000 }));
  it('refuses unreadable compressed messages with invalid_argument, and bombs with resource_exhausted, in every protocol', () =>
    fuzz(compressedCases(world), { runs: 40, ms: 1_200 }));
  it('answers a message over 4 MiB with resource_exhausted in every protocol, without a hang or a reset', () =>
    fuzz(oversizeMessageCases(world), { runs: 12, ms: 2_500 }));
});

describe('methods and paths', () => {
  it('serves Connect GET to the methods free of side effects, and 405 to the others', () =>
    fuzz(connectGetCases(world)));
  it('answers unimplemented (404) for unknown methods in every protocol', () =>
    fuzz(unknownMethodCases(world), { runs: 40, ms: 800 }));
  it('answers 404 for unknown paths', () =>
    fuzz(
      unknownPathCases([
        '/healthz',
        '/readyz',
        '/metrics',
        '/continue',
        '/mcp',
        ...world.methods.map((rpc) => rpc.path),
      ]),
      { runs: 40, ms: 800 },
    ));
  it('answers every HTTP method on every route without a server error, and 405 where only POST (or GET) is served', async () => {
    const postOnly = new Set([
      '/continue',
      ...world.methods.filter((rpc) => rpc.method.methodKind !== 'bidi_streaming').map((rpc) => rpc.path),
    ]);
    const routes = ['/healthz', '/readyz', '/metrics', '/continue', '/mcp', ...world.methods.map((rpc) => rpc.path)];
    const wrong: string[] = [];
    // why: a sweep, not a sample: every route with every method, a few hundred requests.
    for (const path of routes) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) {
        const answer = await exchange(
          target.url,
          {
            method,
            path,
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
            body: ['GET', 'HEAD'].includes(method) ? undefined : '{}',
          },
          REQUEST_TIMEOUT_MS,
        );
        const fault = serverFault(answer);
        if (fault) wrong.push(`${method} ${path}: ${fault}`);
        else if (
          postOnly.has(path) &&
          ['PUT', 'DELETE', 'PATCH'].includes(method) &&
          answer.kind === 'answered' &&
          answer.status !== 405
        )
          wrong.push(`${method} ${path}: ${describeAnswer(answer)}, expected 405`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await target.sick()).toBeNull();
  });
});

describe('HTTP routes', () => {
  it('answers /continue with context items or a 400, never a server error', () => fuzz(continueCases()));
  it('answers 413 to /continue bodies over 1 MiB, before closing the connection', () =>
    fuzz(oversizeContinueCases(), { runs: 12, ms: 3_000 }));
  it('answers JSON-RPC garbage on /mcp without a server or internal error', async () => {
    const listed = await exchange(
      target.url,
      {
        method: 'POST',
        path: '/mcp',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      },
      REQUEST_TIMEOUT_MS,
    );
    const names =
      listed.kind === 'answered'
        ? [...listed.body.toString('utf8').matchAll(/"name":"([a-z_]+)"/g)].map((match) => match[1]!)
        : [];
    expect(names.length).toBeGreaterThan(0);
    await fuzz(mcpCases(names), { runs: 60, ms: 1_500 });
  });
  it('stays healthy after raw garbage on its port (HTTP/1 and HTTP/2)', async () => {
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.concat([preface, bytes])),
      fc
        .string({ maxLength: 80 })
        .map((text) => Buffer.from(`POST /continue HTTP/1.1\r\nHost: 127.0.0.1\r\n${text}\r\n\r\n`)),
      fc.constantFrom(
        Buffer.from('GET / HTTP/9.9\r\n\r\n'),
        Buffer.from(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`),
        Buffer.from('POST /continue HTTP/1.1\r\nContent-Length: -1\r\n\r\n'),
      ),
    );
    const deadline = Date.now() + 1_500;
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => (Date.now() > deadline ? undefined : sendRaw(target.port, bytes))),
      { numRuns: 40 },
    );
    expect(await target.sick()).toBeNull();
  });
});

/** Writes bytes on a fresh connection and waits briefly for the server to answer or close it. */
function sendRaw(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(bytes));
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 200);
    socket.on('error', done);
    socket.on('close', done);
    socket.resume();
  });
}
