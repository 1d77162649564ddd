export { createEngine, type Engine, type EngineOptions } from './create-engine.js';
export { createShardedEngine, type ShardedEngine, type ShardedEngineOptions } from './create-sharded-engine.js';
export { copyShardStore, existingShards, installShardStore, shardDirectory } from './shard-layout.js';
export type { FindSymbolsRequest } from './find-symbols.js';
export type { IndexSummary } from './index-repo.js';
export type { DenseSummary, IndexPhase, IndexProgress, IndexRunOptions } from './index-progress.js';
export { secondsLeft } from './seconds-left.js';
export type { ResultUnit, SearchRequest, SearchResponse, SearchResult } from './search-index.js';
export { createVectorMatrix, type VectorMatrix } from './vector-matrix.js';
