export { startIndexerService, DEFAULT_REDELIVERY, type IndexerService, type IndexerServiceOptions } from './indexer-service.js';
export type { SourcePolicy } from './app/source-policy.js';
export { checkSource } from './app/check-source.js';
export { DEFAULT_GIT_URL_POLICY, type GitUrlPolicy } from './adapters/git/git-url-policy.js';
export { DEFAULT_FETCH_LIMITS, type FetchLimits } from './adapters/git/fetch-git-source.js';
export type { RedeliveryBackoff } from './domain/redelivery-delay.js';
