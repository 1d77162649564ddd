export { DEFAULT_SHARD_COUNT, reposByShard, shardOf } from './shard-of.js';
export { ownedShards, rendezvousOwner } from './rendezvous-owner.js';
export { mergeByScore, type ScoredItem } from './merge-by-score.js';
export {
  ALL_INDEX_EVENTS,
  HEADERS,
  HEARTBEAT_SUBJECT,
  indexEventSubject,
  querySubject,
  shardQueue,
  shardSubject,
  type QueryOperation,
  type ShardOperation,
  policySubject,
  type PolicyOperation,
} from './subjects.js';
