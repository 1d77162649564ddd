import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  FindSymbolResponseSchema,
  GetFileResponseSchema,
  ListReposResponseSchema,
  SearchResponseSchema,
  ShardFileRequestSchema,
  ShardListRequestSchema,
  ShardSearchRequestSchema,
  ShardSearchResponseSchema,
  ShardSymbolRequestSchema,
  type FindSymbolRequest,
  type FindSymbolResponse,
  type GetFileRequest,
  type GetFileResponse,
  type ListReposResponse,
  type SearchRequest,
  type SearchResponse,
} from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { mergeByScore, reposByShard, shardOf } from '@conexus/sharding';
import { assembleContext } from '../domain/assemble-context.js';
import type { Principal } from '@conexus/access';
import type { ScopePort } from '../ports/scope-port.js';
import { queryShards, type Call, type ShardReply } from './query-shards.js';

/** The query use cases: scatter to the shards that hold the repositories, gather, rank and budget. */
export interface QueryApp {
  search(principal: Principal, request: SearchRequest, call: Call): Promise<SearchResponse>;
  listRepos(principal: Principal, call: Call): Promise<ListReposResponse>;
  getFile(principal: Principal, request: GetFileRequest, call: Call): Promise<GetFileResponse>;
  findSymbol(principal: Principal, request: FindSymbolRequest, call: Call): Promise<FindSymbolResponse>;
}

const MAX_QUERY_CHARS = 20_000;
const MAX_TOP = 200;

/** Wires the query use cases to the bus and the scope port. */
export function createQueryApp(deps: { bus: Bus; scope: ScopePort; shardCount: number }): QueryApp {
  const { bus, shardCount } = deps;
  const everyShard = [...Array(shardCount).keys()];
  // why: each named repository is hashed once; with none named every shard is asked, with no repository filter.
  const targetsOf = (repos: readonly string[]): Map<number, string[]> =>
    repos.length === 0 ? new Map(everyShard.map((shard) => [shard, []])) : reposByShard(repos, shardCount);

  return {
    async search(principal, request, call) {
      const started = performance.now();
      if (request.query.length > MAX_QUERY_CHARS)
        throw new ConexusError('invalid_argument', `a query may have at most ${MAX_QUERY_CHARS} characters`);
      if (request.topK > MAX_TOP) throw new ConexusError('invalid_argument', `top_k may be at most ${MAX_TOP}`);
      const scope = await deps.scope.scopeFor(principal, call.deadline);
      const targets = targetsOf(request.repos);
      const replies = await queryShards(
        bus,
        [...targets.keys()],
        'search',
        (shard) =>
          toBinary(
            ShardSearchRequestSchema,
            create(ShardSearchRequestSchema, { shard, scope, request: { ...request, repos: targets.get(shard)! } }),
          ),
        call,
      );
      const lists = answered(replies).map((data) => {
        const reply = fromBinary(ShardSearchResponseSchema, data);
        const expansions = new Map(reply.expansions.map((expansion) => [expansion.result, expansion]));
        return reply.results.map((result, index) => ({ ...result, expansion: expansions.get(index) }));
      });
      const ranked = mergeByScore(lists, request.topK || 10);
      const { pieces, tokens } = assembleContext(ranked, request.maxTokens);
      return create(SearchResponseSchema, {
        results: pieces,
        tokens,
        ...partiality(replies),
        tookMs: Math.round((performance.now() - started) * 100) / 100,
      });
    },
    async listRepos(principal, call) {
      const scope = await deps.scope.scopeFor(principal, call.deadline);
      const replies = await queryShards(
        bus,
        everyShard,
        'repos',
        (shard) => toBinary(ShardListRequestSchema, create(ShardListRequestSchema, { shard, scope })),
        call,
      );
      const repos = answered(replies).flatMap((data) => fromBinary(ShardSearchResponseSchema, data).repos);
      return create(ListReposResponseSchema, {
        repos: repos.sort((a, b) => (a.name < b.name ? -1 : 1)),
        partial: partiality(replies).partial,
      });
    },
    async getFile(principal, request, call) {
      if (!request.repo || !request.path) throw new ConexusError('invalid_argument', 'repo and path are required');
      const scope = await deps.scope.scopeFor(principal, call.deadline);
      const shard = shardOf(request.repo, shardCount);
      const [reply] = await queryShards(
        bus,
        [shard],
        'file',
        () => toBinary(ShardFileRequestSchema, create(ShardFileRequestSchema, { shard, scope, request })),
        call,
      );
      if (!reply || 'missing' in reply)
        throw reply?.missing ?? new ConexusError('unavailable', `shard ${shard} did not answer`);
      return fromBinary(GetFileResponseSchema, reply.data);
    },
    async findSymbol(principal, request, call) {
      const scope = await deps.scope.scopeFor(principal, call.deadline);
      const targets = targetsOf(request.repos);
      const replies = await queryShards(
        bus,
        [...targets.keys()],
        'symbol',
        (shard) =>
          toBinary(
            ShardSymbolRequestSchema,
            create(ShardSymbolRequestSchema, { shard, scope, request: { ...request, repos: targets.get(shard)! } }),
          ),
        call,
      );
      const symbols = answered(replies)
        .flatMap((data) => fromBinary(FindSymbolResponseSchema, data).symbols)
        .sort((a, b) => a.symbol.length - b.symbol.length || (a.repo + a.path < b.repo + b.path ? -1 : 1))
        .slice(0, request.topK || 20);
      return create(FindSymbolResponseSchema, { symbols });
    },
  };
}

function answered(replies: readonly ShardReply[]): Uint8Array[] {
  return replies.flatMap((reply) => ('data' in reply ? [reply.data] : []));
}

function partiality(replies: readonly ShardReply[]): { partial: boolean; missingShards: number[] } {
  const missingShards = replies.flatMap((reply) => ('missing' in reply ? [reply.shard] : []));
  return { partial: missingShards.length > 0, missingShards };
}
