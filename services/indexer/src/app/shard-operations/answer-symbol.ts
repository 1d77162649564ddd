import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FindSymbolResponseSchema, ShardSymbolRequestSchema } from '@conexus/api';
import { ConexusError } from '@conexus/kernel';
import { pathReadable } from '@conexus/access';
import { MAX_TOP } from './max-top.js';
import { readableRequested, toReadScope } from './request-scope.js';
import type { ShardHandler } from './shard-handler.js';
import { toResultMessage } from './to-result-message.js';

/** Finds symbols by name in the shard's readable repositories and files. */
export const answerSymbol: ShardHandler = async (deps, { data, listing }) => {
  const { request, scope } = fromBinary(ShardSymbolRequestSchema, data);
  if (!request) throw new ConexusError('invalid_argument', 'a symbol lookup needs a request');
  const readScope = toReadScope(scope);
  const repos = readableRequested(readScope, request.repos, listing.present);
  if (repos.length === 0) return toBinary(FindSymbolResponseSchema, create(FindSymbolResponseSchema));
  const top = Math.min(request.topK || 20, MAX_TOP);
  const symbols = deps.engine
    .findSymbols({ name: request.name, kind: request.kind, repos, top: readScope.everything ? top : top * 5 })
    .filter((result) => pathReadable(readScope, result.repo, result.path))
    .slice(0, top)
    .map((result) => toResultMessage(result, listing.commits.get(result.repo) ?? ''));
  return toBinary(FindSymbolResponseSchema, create(FindSymbolResponseSchema, { symbols }));
};
