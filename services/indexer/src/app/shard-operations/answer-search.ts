import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ExpansionSchema, ResultUnit, ShardSearchRequestSchema, ShardSearchResponseSchema } from '@conexus/api';
import type { ResultUnit as EngineUnit } from '@conexus/engine';
import { ConexusError } from '@conexus/kernel';
import { pathReadable } from '@conexus/access';
import { MAX_TOP } from './max-top.js';
import { readableRequested, toReadScope } from './request-scope.js';
import type { ShardHandler } from './shard-handler.js';
import { toResultMessage } from './to-result-message.js';

const UNITS: Record<ResultUnit, EngineUnit> = {
  [ResultUnit.UNSPECIFIED]: 'chunk',
  [ResultUnit.CHUNK]: 'chunk',
  [ResultUnit.SYMBOL]: 'symbol',
  [ResultUnit.FILE]: 'file',
};

/** Searches the shard's readable repositories, due by the request's deadline. */
export const answerSearch: ShardHandler = async (deps, { data, deadline, listing }) => {
  const { request, scope } = fromBinary(ShardSearchRequestSchema, data);
  if (!request) throw new ConexusError('invalid_argument', 'a search needs a request');
  const readScope = toReadScope(scope);
  const repos = readableRequested(readScope, request.repos, listing.present);
  const top = Math.min(request.topK || 10, MAX_TOP);
  if (repos.length === 0)
    return toBinary(ShardSearchResponseSchema, create(ShardSearchResponseSchema, { shard: deps.shard }));
  // why: with a token budget the query service may return a split symbol whole, if it fits; the engine expands
  // symbols on its search thread.
  const expand = request.maxTokens > 0;
  const response = await deps.engine.search({
    query: request.query,
    repos,
    unit: UNITS[request.unit],
    top,
    scope: readScope,
    pathPrefixes: request.pathPrefixes,
    deadline,
    expand,
  });
  // why: the engine already ranked only what the scope admits; checking again here keeps a future engine change from leaking.
  const kept = response.results.filter((result) => pathReadable(readScope, result.repo, result.path));
  const results = kept.map((result) => toResultMessage(result, listing.commits.get(result.repo) ?? ''));
  const expansions = kept.flatMap((result, index) =>
    result.expansion ? [create(ExpansionSchema, { result: index, ...result.expansion })] : [],
  );
  return toBinary(
    ShardSearchResponseSchema,
    create(ShardSearchResponseSchema, { shard: deps.shard, results, expansions }),
  );
};
