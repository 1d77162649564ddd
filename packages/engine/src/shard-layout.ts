import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConexusError } from '@conexus/kernel';

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
