import type { ShardOperation } from '@conexus/wire';
import { answerFile } from './shard-operations/answer-file.js';
import { answerRemove } from './shard-operations/answer-remove.js';
import { answerRepos } from './shard-operations/answer-repos.js';
import { answerSearch } from './shard-operations/answer-search.js';
import { answerStatus } from './shard-operations/answer-status.js';
import { answerSymbol } from './shard-operations/answer-symbol.js';
import type { ShardAnswerDeps, ShardHandler, ShardListing } from './shard-operations/shard-handler.js';

export type { ShardAnswerDeps } from './shard-operations/shard-handler.js';

const HANDLERS: Record<ShardOperation, ShardHandler> = {
  search: answerSearch,
  repos: answerRepos,
  file: answerFile,
  symbol: answerSymbol,
  remove: answerRemove,
  status: answerStatus,
};

/**
 * Answers one request for a shard: decodes it, checks the caller's scope, asks the engine, encodes the reply.
 * A search is due by `deadline` (milliseconds since the epoch), when the caller stops waiting.
 */
export async function answerShard(
  deps: ShardAnswerDeps,
  operation: ShardOperation,
  data: Uint8Array,
  deadline?: number,
): Promise<Uint8Array> {
  // why: one listing per request, without counts (counting scans every chunk of a repository); scope checks,
  // commits and lookups all read from it.
  const rows = deps.engine.repoRows();
  const listing: ShardListing = {
    rows,
    present: rows.map((repo) => repo.name),
    commits: new Map(rows.map((repo) => [repo.name, repo.commit ?? ''])),
  };
  return HANDLERS[operation](deps, { data, deadline, listing });
}
