import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectNatsBus, type BlobStore, type NatsBus } from '@conexus/bus';
import { createChunker, type Chunker } from '@conexus/chunking';
import { createShardedEngine, existingShards, shardDirectory } from '@conexus/engine';
import { shardOf } from '@conexus/sharding';
import { useNatsServer } from '@conexus/testkit';
import { latestShardSnapshot, restoreShardSnapshot, saveShardSnapshot } from './shard-snapshots.js';

const SHARDS = 4;
const REPO = 'billing';
const SHARD = shardOf(REPO, SHARDS);
const scratch = mkdtempSync(join(tmpdir(), 'conexus-snapshots-'));
let bus: NatsBus | undefined;
let blobs: BlobStore;
let chunker: Chunker;
// why: afterAll hooks run in the order declared: the bus closes before useNatsServer's hook stops the server.
afterAll(async () => {
  await bus?.close();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});
const nats = useNatsServer();
beforeAll(async () => {
  chunker = await createChunker();
  bus = await connectNatsBus({ servers: nats.url, name: 'snapshot-test' });
  blobs = await bus.blobStore('conexus-snapshot-test');
});

/** A plain folder (the engine indexes folders and git checkouts alike) named after the repository. */
function sourceFolder(files: Record<string, string>): string {
  const root = join(scratch, REPO);
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  return root;
}

describe('shard snapshots in a JetStream object store', () => {
  const owner = join(scratch, 'owner');
  const successor = join(scratch, 'successor');

  it('restores a snapshot taken from an open store into a replica without one, which then answers as the owner did', async () => {
    const engine = createShardedEngine({ dataDir: owner, shardCount: SHARDS, chunker });
    try {
      await engine.index(sourceFolder({ 'tax.py': 'def compute_vat(amount):\n    return amount * 0.2\n' }));
      const saved = await saveShardSnapshot(blobs, owner, SHARD, () => new Date('2026-12-03T12:00:00Z'));
      expect(saved).toMatchObject({ shard: SHARD, generation: 1, takenAt: '2026-12-03T12:00:00.000Z' });
      expect(saved.files.map((file) => file.name)).toContain('index.db');

      const restored = await restoreShardSnapshot(blobs, successor, SHARD);
      expect(restored).toEqual(saved);
      expect(existingShards(successor)).toEqual([SHARD]);
      const replica = createShardedEngine({ dataDir: successor, shardCount: SHARDS, chunker });
      try {
        expect(replica.repoRows()).toEqual(engine.repoRows());
        const hits = await replica.search({ query: 'compute vat amount', unit: 'file' });
        expect(hits.results[0]).toMatchObject({ repo: REPO, path: 'tax.py' });
      } finally {
        await replica.close();
      }
    } finally {
      await engine.close();
    }
  });

  it('keeps one generation: a new snapshot replaces the last, whose files are deleted', async () => {
    const second = await saveShardSnapshot(blobs, owner, SHARD);
    expect(second.generation).toBe(2);
    expect(await latestShardSnapshot(blobs, SHARD)).toEqual(second);
    const names = (await blobs.list(`shard-${String(SHARD).padStart(3, '0')}/g`)).map((info) => info.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.includes(`/${second.directory}/`) && name.includes('/g2-'))).toBe(true);
  });

  it('never mixes two replicas saving the same shard at once: the later one gives up and its files go', async () => {
    const racer = join(scratch, 'racer');
    const engine = createShardedEngine({ dataDir: racer, shardCount: SHARDS, chunker });
    try {
      await engine.index(sourceFolder({ 'tax.py': 'def compute_vat(amount):\n    return amount * 0.25\n' }));
    } finally {
      await engine.close();
    }
    let winner: Promise<unknown> | undefined;
    // why: the first file of the owner's save lets the racer's whole save run, as a handover in flight would.
    const racing: BlobStore = {
      ...blobs,
      putFile: async (name, path) => {
        winner ??= saveShardSnapshot(blobs, racer, SHARD);
        await winner;
        return blobs.putFile(name, path);
      },
    };
    await expect(saveShardSnapshot(racing, owner, SHARD)).rejects.toMatchObject({ code: 'unavailable' });
    const latest = await latestShardSnapshot(blobs, SHARD);
    expect(latest).toEqual(await winner);
    const names = (await blobs.list(`shard-${String(SHARD).padStart(3, '0')}/g`)).map((info) => info.name);
    expect(names.every((name) => name.includes(`/${latest?.directory}/`))).toBe(true);
    const restored = join(scratch, 'after-race');
    expect(await restoreShardSnapshot(blobs, restored, SHARD)).toEqual(latest);
  });

  it('leaves a local store alone, and writes nothing for a shard that has no snapshot', async () => {
    await expect(restoreShardSnapshot(blobs, successor, SHARD)).rejects.toMatchObject({ code: 'failed_precondition' });
    expect(existsSync(join(shardDirectory(successor, SHARD), 'index.db'))).toBe(true);
    const empty = join(scratch, 'empty');
    const other = (SHARD + 1) % SHARDS;
    expect(await restoreShardSnapshot(blobs, empty, other)).toBeNull();
    expect(existingShards(empty)).toEqual([]);
  });
});
