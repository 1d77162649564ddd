export { DEFAULT_SHARD_COUNT, reposByShard, shardOf } from './shard-of.js';
export { ownedShards, rendezvousOwner } from './rendezvous-owner.js';
export { mergeByScore, type ScoredItem } from './merge-by-score.js';
