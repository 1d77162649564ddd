import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConexusError } from '@conexus/kernel';
import { copyStore } from '@conexus/store-sqlite';

/** The directory of one virtual shard's store under a data directory. */
export function shardDirectory(dataDir: string, shard: number): string {
  return join(dataDir, 'shards', String(shard).padStart(3, '0'));
}

/** The shards that already have a store under a data directory. */
export function existingShards(dataDir: string): number[] {
  const root = join(dataDir, 'shards');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d{3}$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Records the shard count of a data directory, or refuses one that differs from the recorded count. */
export function claimShardCount(dataDir: string, shardCount: number): void {
  const file = join(dataDir, 'shards', 'layout.json');
  if (existsSync(file)) {
    const recorded = readRecordedCount(file);
    // why: a repository's shard is its hash modulo the count; a different count would look in the wrong store.
    if (recorded !== shardCount) {
      throw new ConexusError(
        'failed_precondition',
        `${dataDir} holds ${recorded} shards, not ${shardCount}: keep the shard count or use a new data directory`,
      );
    }
    return;
  }
  mkdirSync(join(dataDir, 'shards'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ shardCount })}\n`);
}

function readRecordedCount(file: string): number {
  try {
    const count = (JSON.parse(readFileSync(file, 'utf8')) as { shardCount?: unknown }).shardCount;
    if (typeof count === 'number' && Number.isInteger(count) && count > 0) return count;
  } catch {
    // falls through to the typed error below
  }
  throw new ConexusError(
    'failed_precondition',
    `cannot read the shard layout in ${file}: restore it or use a new data directory`,
  );
}

/** Copies one shard's store into `toDir` while it may be written (a consistent file each); the names of the files copied. */
export function copyShardStore(dataDir: string, shard: number, toDir: string): Promise<string[]> {
  return copyStore(shardDirectory(dataDir, shard), toDir);
}

/** Moves a complete store directory (say, a restored snapshot) into place as a shard that has no store yet. */
export function installShardStore(dataDir: string, shard: number, fromDir: string): void {
  const target = shardDirectory(dataDir, shard);
  if (existsSync(target))
    throw new ConexusError('failed_precondition', `shard ${shard} already has a store in ${dataDir}; it is kept`);
  mkdirSync(join(dataDir, 'shards'), { recursive: true });
  renameSync(fromDir, target);
}
