export {
  startIndexerService,
  DEFAULT_REDELIVERY,
  type IndexerService,
  type IndexerServiceOptions,
} from './indexer-service.js';
export type { SourcePolicy } from './app/source-policy.js';
export { checkSource } from './adapters/fs/check-source.js';
export { DEFAULT_GIT_URL_POLICY, type GitUrlPolicy } from './domain/git-url-policy.js';
export { DEFAULT_FETCH_LIMITS } from './adapters/git/fetch-git-source.js';
export type { FetchLimits } from './app/source-policy.js';
export type { RedeliveryBackoff } from './domain/redelivery-delay.js';
export {
  latestShardSnapshot,
  restoreShardSnapshot,
  saveShardSnapshot,
  type ShardSnapshot,
} from './adapters/snapshots/shard-snapshots.js';
export { createShardSnapshotter, type ShardSnapshotter } from './adapters/snapshots/shard-snapshotter.js';
