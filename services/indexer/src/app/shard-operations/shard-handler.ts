import type { IndexEvent } from '@conexus/api';
import type { Engine } from '@conexus/engine';

/** What a shard's owner needs to answer requests for it. */
export interface ShardAnswerDeps {
  readonly shard: number;
  readonly engine: Engine;
  /** The latest event of each repository's index jobs on this replica. */
  readonly lastEvents: ReadonlyMap<string, IndexEvent>;
  /** Deletes what a repository left outside the store (its clone). */
  readonly forget: (repo: string) => void;
  /** Reads an indexed file with its secrets redacted: at `commit` (only there when `exact`), else from the working tree. */
  readonly readFile: (root: string, path: string, commit: string | null, exact: boolean) => Promise<string>;
}

/** The shard's repositories, listed once per request (without counts); scope checks, commits and lookups read from it. */
export interface ShardListing {
  readonly rows: ReturnType<Engine['repoRows']>;
  readonly present: readonly string[];
  readonly commits: ReadonlyMap<string, string>;
}

/** One encoded request for a shard, with what every handler may read. */
export interface ShardRequest {
  readonly data: Uint8Array;
  /** When the caller stops waiting (milliseconds since the epoch); only a search uses it. */
  readonly deadline: number | undefined;
  readonly listing: ShardListing;
}

/** Answers one kind of shard request: decodes it, checks the caller's scope, asks the engine, encodes the reply. */
export type ShardHandler = (deps: ShardAnswerDeps, request: ShardRequest) => Promise<Uint8Array>;
