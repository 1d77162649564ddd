import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '@conexus/bus';
import { existingShards, shardDirectory } from '@conexus/engine';
import { latestShardSnapshot, restoreShardSnapshot, saveShardSnapshot, type ShardSnapshot } from './shard-snapshots.js';

/** Keeps a replica's shard stores in step with their snapshots in object storage. */
export interface ShardSnapshotter {
  /**
   * Before a shard is claimed: when its newest snapshot is newer than the local store (or there is none
   * locally), closes the shard (`release`), drops the local store and restores the snapshot. The snapshot
   * restored, or null when the local store is kept or no snapshot exists.
   */
  prepare(shard: number, release: () => Promise<void>): Promise<ShardSnapshot | null>;
  /** Resolves once a snapshot taken after this call is stored; calls that overlap share one save. */
  save(shard: number): Promise<ShardSnapshot>;
}

// why: the generation a local store matches, beside (not inside) the files a snapshot copies.
const GENERATION_FILE = 'snapshot-generation';

/** A snapshotter over a blob store (the JetStream object store in a cluster) for the shards under `dataDir`. */
export function createShardSnapshotter(blobs: BlobStore, dataDir: string): ShardSnapshotter {
  const markerOf = (shard: number): string => join(shardDirectory(dataDir, shard), GENERATION_FILE);
  const localGeneration = (shard: number): number => {
    const marker = markerOf(shard);
    return existsSync(marker) ? Number(readFileSync(marker, 'utf8')) || 0 : 0;
  };
  const record = (snapshot: ShardSnapshot): ShardSnapshot => {
    writeFileSync(markerOf(snapshot.shard), `${snapshot.generation}\n`);
    return snapshot;
  };
  const saves = new Map<number, { tail: Promise<unknown>; pending: Promise<ShardSnapshot> | null }>();
  return {
    async prepare(shard, release) {
      const latest = await latestShardSnapshot(blobs, shard);
      if (!latest) return null;
      const local = existingShards(dataDir).includes(shard);
      if (local && localGeneration(shard) >= latest.generation) return null;
      if (local) {
        await release();
        rmSync(shardDirectory(dataDir, shard), { recursive: true, force: true });
      }
      const restored = await restoreShardSnapshot(blobs, dataDir, shard);
      return restored && record(restored);
    },
    save(shard) {
      const state = saves.get(shard) ?? { tail: Promise.resolve(), pending: null };
      saves.set(shard, state);
      // why: a save that has not started yet copies the store after this caller's commit, so it covers the caller too.
      if (state.pending) return state.pending;
      const pending = state.tail
        .catch(() => undefined)
        .then(async () => {
          state.pending = null;
          return record(await saveShardSnapshot(blobs, dataDir, shard));
        });
      state.pending = pending;
      state.tail = pending;
      return pending;
    },
  };
}
