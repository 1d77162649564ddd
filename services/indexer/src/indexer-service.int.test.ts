import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexJobSchema, IndexState, RepoSourceSchema, type IndexEvent } from '@conexus/api';
import { createInProcessBus, deadLetterSubject } from '@conexus/bus';
import { createShardedEngine, type ShardedEngine } from '@conexus/engine';
import { ALL_INDEX_EVENTS, shardQueue } from '@conexus/wire';
import type { Logger } from '@conexus/telemetry';
import { startIndexerService, type IndexerService } from './indexer-service.js';

interface Line {
  readonly at: number;
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'conexus-indexer-service-')));
const root = join(scratch, 'root');
const lines: Line[] = [];
const capture =
  (level: string) =>
  (msg: string, fields: object = {}) =>
    void lines.push({ at: Date.now(), level, msg, ...fields });
const log: Logger = { info: capture('info'), warn: capture('warn'), error: capture('error'), child: () => log };
const bus = createInProcessBus({ ackWaitMs: 10_000, maxDeliveries: 3 });
const events: IndexEvent[] = [];
const dead: string[] = [];
let engines: ShardedEngine;
let service: IndexerService;
let forge: Server;
let hellos = 0;

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  // A forge on loopback that hangs up during the TLS handshake: a transient failure, every time.
  forge = createServer((socket) => socket.once('data', () => void (hellos++, socket.destroy())));
  await new Promise<void>((resolve) => forge.listen(0, '127.0.0.1', resolve));
  engines = createShardedEngine({
    dataDir: join(scratch, 'data'),
    shardCount: 1,
    chunker: { chunk: () => [], languageOf: () => null },
  });
  bus.subscribe(ALL_INDEX_EVENTS, (message) => void events.push(fromBinary(IndexEventSchema, message.data)));
  bus.subscribe(deadLetterSubject(shardQueue(0)), (message) => void dead.push(message.headers['conexus-job-id'] ?? ''));
  service = await startIndexerService({
    bus,
    engines,
    replica: 'test',
    solo: true,
    log,
    sources: {
      pathRoots: [root],
      git: { schemes: ['https'], hosts: ['localhost'], allowPrivate: true },
      fetchLimits: { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024 },
      checkoutsDir: join(scratch, 'checkouts'),
    },
    redelivery: { firstDelayMs: 400, maxDelayMs: 5_000, maxDeliveries: 3 },
  });
});

afterAll(async () => {
  await service.stop();
  await bus.close();
  await engines.close();
  await new Promise((resolve) => forge.close(resolve));
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

async function until<T>(find: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function enqueue(jobId: string, source: { case: 'path' | 'gitUrl'; value: string }): Promise<void> {
  const job = create(IndexJobSchema, {
    jobId,
    repo: `repo-${jobId}`,
    shard: 0,
    source: create(RepoSourceSchema, { source }),
  });
  await bus.enqueue(shardQueue(0), jobId, toBinary(IndexJobSchema, job));
}

const failuresOf = (jobId: string) => lines.filter((line) => line.msg === 'index job failed' && line.jobId === jobId);
const startsOf = (jobId: string) => lines.filter((line) => line.msg === 'index job' && line.jobId === jobId);

describe('indexer service', () => {
  it('logs a job outside the source roots with repo, jobId and reason, fails it permission_denied and does not retry', async () => {
    await enqueue('outside', { case: 'path', value: '/etc' });
    const failed = await until(() =>
      events.find((event) => event.jobId === 'outside' && event.state === IndexState.FAILED),
    );
    expect(failed.error).toContain('outside the directories');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failuresOf('outside')).toEqual([
      expect.objectContaining({
        level: 'warn',
        repo: 'repo-outside',
        code: 'permission_denied',
        retry: false,
        reason: expect.stringContaining('/etc'),
      }),
    ]);
    expect(startsOf('outside')).toHaveLength(1);
  });

  it("tells callers only that a clone failed, logs git's words, and spaces redeliveries out exponentially", async () => {
    const port = (forge.address() as AddressInfo).port;
    await enqueue('transient', { case: 'gitUrl', value: `https://localhost:${port}/team/app.git` });
    await until(() => (dead.includes('transient') ? true : undefined));
    const failed = events.filter((event) => event.jobId === 'transient' && event.state === IndexState.FAILED);
    expect(failed.map((event) => event.error)).toEqual([
      'could not fetch the repository',
      'could not fetch the repository',
      'could not fetch the repository',
    ]);
    const logged = failuresOf('transient');
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatchObject({
      repo: 'repo-transient',
      code: 'unavailable',
      retry: true,
      retryInMs: 400,
      reason: expect.stringMatching(/could not fetch the repository: git (ls-remote|clone) exited with \d+: ./),
    });
    expect(logged.map((line) => line.retryInMs)).toEqual([400, 800, 0]);
    const starts = startsOf('transient').map((line) => line.at);
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(400);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(800);
    expect(hellos).toBe(3);
  });

  it('fails a clone from a host that refuses the connection once, without redelivery', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await enqueue('refused', { case: 'gitUrl', value: `https://localhost:${port}/team/app.git` });
    const failed = await until(() =>
      events.find((event) => event.jobId === 'refused' && event.state === IndexState.FAILED),
    );
    expect(failed.error).toBe('could not fetch the repository');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(failuresOf('refused')).toEqual([
      expect.objectContaining({ code: 'failed_precondition', retry: false, reason: expect.stringMatching(/connect/i) }),
    ]);
    expect(startsOf('refused')).toHaveLength(1);
  });
});
