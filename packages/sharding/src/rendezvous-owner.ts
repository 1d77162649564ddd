import { contentHash } from '@conexus/kernel';

/** The replica that owns a shard by rendezvous (highest random weight) hashing; null with no replicas. */
export function rendezvousOwner(shard: number, replicas: readonly string[]): string | null {
  let owner: string | null = null;
  let best = '';
  for (const replica of replicas) {
    const weight = contentHash('owner', String(shard), replica);
    // why: ties are practically impossible, but comparing names too keeps the choice total and deterministic.
    if (owner === null || weight > best || (weight === best && replica < owner)) {
      owner = replica;
      best = weight;
    }
  }
  return owner;
}

/** The shards (of `shardCount`) that `replica` owns among the live `replicas`. */
export function ownedShards(replica: string, replicas: readonly string[], shardCount: number): number[] {
  const shards: number[] = [];
  for (let shard = 0; shard < shardCount; shard++) if (rendezvousOwner(shard, replicas) === replica) shards.push(shard);
  return shards;
}
