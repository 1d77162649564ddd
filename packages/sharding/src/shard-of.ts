import { contentHash } from '@conexus/kernel';

/** Virtual shards a deployment spreads repositories over unless configured otherwise. */
export const DEFAULT_SHARD_COUNT = 16;

/** The virtual shard that holds a repository: a stable hash of its id, the same on every machine. */
export function shardOf(repo: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new RangeError(`shard count must be a positive integer, got ${shardCount}`);
  return Number.parseInt(contentHash('shard', repo).slice(0, 8), 16) % shardCount;
}
