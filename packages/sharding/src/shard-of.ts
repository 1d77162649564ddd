import { contentHash } from '@conexus/kernel';

/** Virtual shards a deployment spreads repositories over unless configured otherwise. */
export const DEFAULT_SHARD_COUNT = 16;

/** The virtual shard that holds a repository: a stable hash of its id, the same on every machine. */
export function shardOf(repo: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1)
    throw new RangeError(`shard count must be a positive integer, got ${shardCount}`);
  return Number.parseInt(contentHash('shard', repo).slice(0, 8), 16) % shardCount;
}

/** Named repositories grouped by the shard that holds each, in the order they first appear. */
export function reposByShard(repos: readonly string[], shardCount: number): Map<number, string[]> {
  const byShard = new Map<number, string[]>();
  for (const repo of repos) {
    const shard = shardOf(repo, shardCount);
    byShard.set(shard, [...(byShard.get(shard) ?? []), repo]);
  }
  return byShard;
}
