import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '@conexus/bus';
import { copyShardStore, installShardStore } from '@conexus/engine';
import { ConexusError } from '@conexus/kernel';

/** What a shard snapshot holds: its generation (one more than the last), where its files lie, when it was taken, and its files. */
export interface ShardSnapshot {
  readonly shard: number;
  readonly generation: number;
  /** The folder of this save's files: `g<generation>-<unique>`; absent in snapshots that used `g<generation>`. */
  readonly directory?: string;
  readonly takenAt: string;
  readonly files: readonly { readonly name: string; readonly size: number; readonly sha256: string }[];
}

const prefix = (shard: number): string => `shard-${String(shard).padStart(3, '0')}/`;
const manifestName = (shard: number): string => `${prefix(shard)}latest`;
const directoryOf = (snapshot: Pick<ShardSnapshot, 'generation' | 'directory'>): string =>
  snapshot.directory ?? `g${snapshot.generation}`;
const fileName = (shard: number, directory: string, file: string): string => `${prefix(shard)}${directory}/${file}`;
const generationOfObject = (shard: number, name: string): number =>
  Number(/^g(\d+)/.exec(name.slice(prefix(shard).length))?.[1] ?? Number.NaN);

/** The newest snapshot of a shard, or null when none was ever taken. */
export async function latestShardSnapshot(blobs: BlobStore, shard: number): Promise<ShardSnapshot | null> {
  const bytes = await blobs.getBytes(manifestName(shard));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as ShardSnapshot) : null;
}

/**
 * Copies a shard's store (while it may be written) into the blob store as its newest snapshot. The files go
 * into a folder of their own first and the manifest names them last, so a reader sees the old or the new
 * snapshot whole; older generations are deleted after. Two replicas that save the same shard at once (a
 * handover in flight) never mix their files: the second to finish finds a manifest of its generation or newer
 * and gives up with `unavailable` (the job is retried), deleting its files, so the manifest never goes back a generation.
 */
export async function saveShardSnapshot(
  blobs: BlobStore,
  dataDir: string,
  shard: number,
  now: () => Date = () => new Date(),
): Promise<ShardSnapshot> {
  const staging = join(dataDir, 'shards', `.snapshot-${String(shard).padStart(3, '0')}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const copied = await copyShardStore(dataDir, shard, staging);
    if (copied.length === 0) throw new ConexusError('failed_precondition', `shard ${shard} has no store to snapshot`);
    const previous = await latestShardSnapshot(blobs, shard);
    const generation = (previous?.generation ?? 0) + 1;
    const directory = `g${generation}-${randomUUID().slice(0, 8)}`;
    const files = [];
    for (const file of copied) {
      const stored = await blobs.putFile(fileName(shard, directory, file), join(staging, file));
      files.push({ name: file, size: stored.size, sha256: stored.sha256 });
    }
    const snapshot: ShardSnapshot = { shard, generation, directory, takenAt: now().toISOString(), files };
    // why: the object store has no compare-and-set; checking just before the write narrows a concurrent save to a
    // window of one round trip, and the digests in the manifest still keep a restore from mixing two saves.
    const latest = await latestShardSnapshot(blobs, shard);
    if (latest && latest.generation >= generation) {
      for (const file of copied) await blobs.delete(fileName(shard, directory, file));
      throw new ConexusError(
        'unavailable',
        `shard ${shard}: another replica saved generation ${latest.generation} while this one saved ${generation}`,
      );
    }
    await blobs.putBytes(manifestName(shard), new TextEncoder().encode(JSON.stringify(snapshot)));
    // why: only older generations go; a save of this generation still running elsewhere keeps its files.
    for (const stale of await blobs.list(`${prefix(shard)}g`))
      if (generationOfObject(shard, stale.name) < generation) await blobs.delete(stale.name);
    return snapshot;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Installs the newest snapshot of a shard that has no local store yet and returns it; null (nothing written)
 * when there is none. Every file is checked against the manifest's digest before the store moves into place.
 */
export async function restoreShardSnapshot(
  blobs: BlobStore,
  dataDir: string,
  shard: number,
): Promise<ShardSnapshot | null> {
  // why: a save that finishes between reading the manifest and fetching the files deletes them; the next read names the new ones.
  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await latestShardSnapshot(blobs, shard);
    if (!snapshot) return null;
    const staging = join(dataDir, 'shards', `.restore-${String(shard).padStart(3, '0')}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      const fetched = await Promise.all(
        snapshot.files.map((file) =>
          blobs.getFile(fileName(shard, directoryOf(snapshot), file.name), join(staging, file.name)),
        ),
      );
      const complete = snapshot.files.every(
        (file, index) => fetched[index]?.sha256 === file.sha256 && fetched[index]?.size === file.size,
      );
      if (complete) {
        installShardStore(dataDir, shard, staging);
        return snapshot;
      }
      if (attempt >= 3)
        throw new ConexusError('unavailable', `snapshot ${snapshot.generation} of shard ${shard} is incomplete`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}
