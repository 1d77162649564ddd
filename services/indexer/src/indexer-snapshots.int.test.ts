import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create, toBinary } from '@bufbuild/protobuf';
import { IndexJobSchema, RepoSourceSchema } from '@conexus/api';
import { connectNatsBus, type BlobStore, type NatsBus } from '@conexus/bus';
import { createChunker, type Chunker } from '@conexus/chunking';
import { createShardedEngine, type ShardedEngine } from '@conexus/engine';
import { shardOf } from '@conexus/sharding';
import type { Logger } from '@conexus/telemetry';
import { eventually, useNatsServer } from '@conexus/testkit';
import { shardQueue } from '@conexus/wire';
import { createShardSnapshotter } from './adapters/snapshots/shard-snapshotter.js';
import { latestShardSnapshot } from './adapters/snapshots/shard-snapshots.js';
import { startIndexerService, type IndexerService } from './indexer-service.js';

const SHARDS = 2;
// why: two repositories in one shard, so the second job moves that shard's snapshot on.
const [FIRST, SECOND] = ['billing', 'ledger', 'invoices', 'payments', 'refunds'].filter(
  (name, _, all) => shardOf(name, SHARDS) === shardOf(all[0]!, SHARDS),
) as [string, string];
const SHARD = shardOf(FIRST, SHARDS);
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'conexus-indexer-snapshots-')));
const sources = join(scratch, 'sources');
const messages: { replica: string; msg: string; fields: Record<string, unknown> }[] = [];
const logFor = (replica: string): Logger => {
  const capture = (msg: string, fields: object = {}) =>
    void messages.push({ replica, msg, fields: fields as Record<string, unknown> });
  const log: Logger = { info: capture, warn: capture, error: capture, child: () => log };
  return log;
};
let bus: NatsBus | undefined;
let blobs: BlobStore;
let chunker: Chunker;
const running: { service: IndexerService; engines: ShardedEngine }[] = [];
// why: afterAll hooks run in the order declared: the bus closes before useNatsServer's hook stops the server.
afterAll(async () => {
  for (const { service, engines } of running.splice(0)) {
    await service.stop();
    await engines.close();
  }
  await bus?.close();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});
const nats = useNatsServer();
beforeAll(async () => {
  chunker = await createChunker();
  bus = await connectNatsBus({
    servers: nats.url,
    name: 'indexer-snapshots',
    settings: { ackWaitMs: 10_000, maxDeliveries: 3 },
  });
  blobs = await bus.blobStore('conexus-indexer-snapshots');
});

/** Starts a replica (the only one: it owns every shard) on its own data directory, with snapshots. */
async function startReplica(replica: string): Promise<{ service: IndexerService; engines: ShardedEngine }> {
  const dataDir = join(scratch, replica);
  const engines = createShardedEngine({ dataDir, shardCount: SHARDS, chunker });
  const service = await startIndexerService({
    bus: bus!,
    engines,
    replica,
    solo: true,
    log: logFor(replica),
    snapshots: createShardSnapshotter(blobs, dataDir),
    sources: {
      pathRoots: [sources],
      git: { schemes: ['https'], hosts: ['localhost'], allowPrivate: false },
      fetchLimits: { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024 },
      checkoutsDir: join(dataDir, 'checkouts'),
    },
  });
  const started = { service, engines };
  running.push(started);
  return started;
}

async function stopReplica(started: { service: IndexerService; engines: ShardedEngine }): Promise<void> {
  running.splice(running.indexOf(started), 1);
  await started.service.stop();
  await started.engines.close();
}

/** Queues a job for a folder of one file and waits until it is acknowledged (its snapshot stored). */
async function indexFolder(replica: string, repo: string, file: string, content: string): Promise<void> {
  const folder = join(sources, repo);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, file), content);
  const job = create(IndexJobSchema, {
    jobId: `${repo}-job`,
    repo,
    shard: SHARD,
    source: create(RepoSourceSchema, { source: { case: 'path', value: folder } }),
  });
  await bus!.enqueue(shardQueue(SHARD), job.jobId, toBinary(IndexJobSchema, job));
  await eventually(
    async () => ((await bus!.pending(shardQueue(SHARD))) === 0 && stored(replica, repo) ? true : undefined),
    30_000,
    `${repo} indexed and its snapshot stored`,
  );
}

const stored = (replica: string, repo: string): boolean =>
  messages.some(
    (line) => line.replica === replica && line.msg === 'shard snapshot stored' && line.fields.repo === repo,
  );
const restored = (replica: string) =>
  messages.filter((line) => line.replica === replica && line.msg === 'shard restored from snapshot');

describe('an indexer replica with shard snapshots', () => {
  it('stores a snapshot before acknowledging a job; a replica with an empty volume restores it instead of re-indexing', async () => {
    const first = await startReplica('first');
    await indexFolder('first', FIRST, 'tax.py', 'def compute_vat(amount):\n    return amount * 0.2\n');
    expect(await latestShardSnapshot(blobs, SHARD)).toMatchObject({ shard: SHARD, generation: 1 });
    await stopReplica(first);
    // why: with the source gone, only the snapshot can bring the repository back.
    rmSync(join(sources, FIRST), { recursive: true, force: true });

    const second = await startReplica('second');
    expect(restored('second')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ shard: SHARD, generation: 1 }) }),
    ]);
    const hits = await second.engines.search({ query: 'compute vat amount', unit: 'file' });
    expect(hits.results[0]).toMatchObject({ repo: FIRST, path: 'tax.py' });
  });

  it('replaces a local store older than the newest snapshot when its shard comes back', async () => {
    const second = running[0]!;
    await indexFolder(
      'second',
      SECOND,
      'ledger.go',
      'package ledger\n\nfunc PostEntry(amount int) int { return amount }\n',
    );
    expect(await latestShardSnapshot(blobs, SHARD)).toMatchObject({ generation: 2 });
    await stopReplica(second);

    // why: "first" still holds generation 1 on its volume; generation 2 wins.
    const first = await startReplica('first');
    expect(restored('first')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ shard: SHARD, generation: 2 }) }),
    ]);
    expect(first.engines.repos().map((repo) => repo.name)).toEqual([FIRST, SECOND].sort());
  });
});
