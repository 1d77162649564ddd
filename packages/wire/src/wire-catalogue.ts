import type { PolicyService } from '@conexus/api';
import { contentHash } from '@conexus/kernel';

/** Requests a shard's owner answers. */
export type ShardOperation = 'search' | 'repos' | 'file' | 'symbol' | 'remove' | 'status';

/** Requests the query service answers. */
export type QueryOperation = 'search' | 'repos' | 'file' | 'symbol';

/** The subject on which the owner of a shard answers one kind of request. */
export function shardSubject(shard: number, operation: ShardOperation): string {
  return `conexus.shard.${shard}.${operation}`;
}

/** The subject on which the query service answers one kind of request. */
export function querySubject(operation: QueryOperation): string {
  return `conexus.query.${operation}`;
}

/** The job queue of a shard. */
export function shardQueue(shard: number): string {
  return `shard.${shard}`;
}

/** Where progress events of a repository's index jobs are published (repository names may hold dots). */
export function indexEventSubject(repo: string): string {
  return `conexus.events.index.${contentHash('repo', repo).slice(0, 16)}`;
}

/** Matches the progress events of every repository. */
export const ALL_INDEX_EVENTS = 'conexus.events.index.*';

/** Where indexer replicas announce that they are alive. */
export const HEARTBEAT_SUBJECT = 'conexus.indexer.heartbeat';

/** Headers every internal request carries. */
export const HEADERS = {
  principal: 'conexus-principal',
  /** Absolute deadline, milliseconds since the epoch. */
  deadline: 'conexus-deadline',
} as const;

/** A PolicyService method, named as in its descriptor, so that the gateway and the policy service cannot disagree on a string. */
export type PolicyAdminMethod = keyof (typeof PolicyService)['method'];

/** Requests the policy service answers: scopes, API keys, repository claims and the admin methods. */
export type PolicyOperation = 'scope' | 'key' | 'claim' | 'manages' | `admin.${PolicyAdminMethod}`;

/** The subject on which the policy service answers one kind of request. */
export function policySubject(operation: PolicyOperation): string {
  return `conexus.policy.${operation}`;
}
