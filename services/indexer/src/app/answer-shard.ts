import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ExpansionSchema,
  FindSymbolResponseSchema,
  GetFileResponseSchema,
  GetIndexStatusResponseSchema,
  IndexEventSchema,
  IndexState,
  RemoveRepoResponseSchema,
  RepoSchema,
  ResultUnit,
  SearchResultSchema,
  ShardFileRequestSchema,
  ShardListRequestSchema,
  ShardRemoveRequestSchema,
  ShardSearchRequestSchema,
  ShardSearchResponseSchema,
  ShardSymbolRequestSchema,
  GetIndexStatusRequestSchema,
  type IndexEvent,
  type Scope,
  type SearchResult as SearchResultMessage,
} from '@conexus/api';
import type { Engine, ResultUnit as EngineUnit, SearchResult } from '@conexus/engine';
import { ConexusError } from '@conexus/kernel';
import type { ShardOperation } from '@conexus/sharding';
import { readRepoFile } from '../adapters/fs/read-repo-file.js';
import { NOTHING, pathReadable, readableRepos, repoVisible, type ReadScope } from '@conexus/access';

/** What a shard's owner needs to answer requests for it. */
export interface ShardAnswerDeps {
  readonly shard: number;
  readonly engine: Engine;
  /** The latest event of each repository's index jobs on this replica. */
  readonly lastEvents: ReadonlyMap<string, IndexEvent>;
  /** Deletes what a repository left outside the store (its clone). */
  readonly forget: (repo: string) => void;
}

const MAX_TOP = 200;
const UNITS: Record<ResultUnit, EngineUnit> = { [ResultUnit.UNSPECIFIED]: 'chunk', [ResultUnit.CHUNK]: 'chunk', [ResultUnit.SYMBOL]: 'symbol', [ResultUnit.FILE]: 'file' };

/**
 * Answers one request for a shard: decodes it, checks the caller's scope, asks the engine, encodes the reply.
 * A search is due by `deadline` (milliseconds since the epoch), when the caller stops waiting.
 */
export async function answerShard(deps: ShardAnswerDeps, operation: ShardOperation, data: Uint8Array, deadline?: number): Promise<Uint8Array> {
  const { engine } = deps;
  // why: one listing per request, without counts (counting scans every chunk of a repository); scope checks,
  // commits and lookups all read from it.
  const rows = engine.repoRows();
  const present = rows.map((repo) => repo.name);
  const commits = new Map(rows.map((repo) => [repo.name, repo.commit ?? '']));
  switch (operation) {
    case 'search': {
      const { request, scope } = fromBinary(ShardSearchRequestSchema, data);
      if (!request) throw new ConexusError('invalid_argument', 'a search needs a request');
      const readScope = toReadScope(scope);
      const repos = readable(readScope, request.repos, present);
      const top = Math.min(request.topK || 10, MAX_TOP);
      if (repos.length === 0) return toBinary(ShardSearchResponseSchema, create(ShardSearchResponseSchema, { shard: deps.shard }));
      // why: with a token budget the query service may return a split symbol whole, if it fits; the engine expands
      // symbols on its search thread.
      const expand = request.maxTokens > 0;
      const response = await engine.search({ query: request.query, repos, unit: UNITS[request.unit], top, scope: readScope, pathPrefixes: request.pathPrefixes, deadline, expand });
      // why: the engine already ranked only what the scope admits; checking again here keeps a future engine change from leaking.
      const kept = response.results.filter((result) => pathReadable(readScope, result.repo, result.path));
      const results = kept.map((result) => toResultMessage(result, commits.get(result.repo) ?? ''));
      const expansions = kept.flatMap((result, index) => (result.expansion ? [create(ExpansionSchema, { result: index, ...result.expansion })] : []));
      return toBinary(ShardSearchResponseSchema, create(ShardSearchResponseSchema, { shard: deps.shard, results, expansions }));
    }
    case 'repos': {
      const { scope } = fromBinary(ShardListRequestSchema, data);
      const records = engine.repos();
      const allowed = new Set(readableRepos(toReadScope(scope), [], records.map((repo) => repo.name)));
      const repos = records
        .filter((repo) => allowed.has(repo.name))
        .map((repo) =>
          create(RepoSchema, {
            name: repo.name,
            commit: repo.commit ?? '',
            files: repo.files,
            chunks: repo.chunks,
            skipped: repo.skipped,
            indexedAt: repo.indexedAt ?? '',
            embedder: repo.embedder ?? '',
            shard: deps.shard,
          }),
        );
      return toBinary(ShardSearchResponseSchema, create(ShardSearchResponseSchema, { shard: deps.shard, repos }));
    }
    case 'file': {
      const { request, scope } = fromBinary(ShardFileRequestSchema, data);
      if (!request) throw new ConexusError('invalid_argument', 'a file read needs a request');
      const readScope = toReadScope(scope);
      const repo = rows.find((candidate) => candidate.name === request.repo);
      // why: an unreadable file and a missing one must look the same to the caller.
      if (!repo || !repoVisible(readScope, request.repo) || !pathReadable(readScope, repo.name, request.path) || !engine.hasFile(repo.name, request.path)) {
        throw new ConexusError('not_found', `no file ${request.path} in repository "${request.repo}"`);
      }
      const named = request.commit !== '' && request.commit !== repo.commit;
      const text = await readRepoFile(repo.root, request.path, named ? request.commit : repo.commit, named);
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const start = Math.max(1, request.startLine || 1);
      const end = Math.min(lines.length, request.endLine || lines.length);
      if (start > Math.max(end, 1)) throw new ConexusError('invalid_argument', `line range ${start}-${end} is outside the file (${lines.length} lines)`);
      return toBinary(
        GetFileResponseSchema,
        create(GetFileResponseSchema, {
          repo: repo.name,
          path: request.path,
          commit: request.commit || repo.commit || '',
          startLine: start,
          endLine: end,
          text: lines.slice(start - 1, end).join('\n') + (end >= start ? '\n' : ''),
          totalLines: lines.length,
        }),
      );
    }
    case 'symbol': {
      const { request, scope } = fromBinary(ShardSymbolRequestSchema, data);
      if (!request) throw new ConexusError('invalid_argument', 'a symbol lookup needs a request');
      const readScope = toReadScope(scope);
      const repos = readable(readScope, request.repos, present);
      if (repos.length === 0) return toBinary(FindSymbolResponseSchema, create(FindSymbolResponseSchema));
      const top = Math.min(request.topK || 20, MAX_TOP);
      const symbols = engine
        .findSymbols({ name: request.name, kind: request.kind, repos, top: readScope.everything ? top : top * 5 })
        .filter((result) => pathReadable(readScope, result.repo, result.path))
        .slice(0, top)
        .map((result) => toResultMessage(result, commits.get(result.repo) ?? ''));
      return toBinary(FindSymbolResponseSchema, create(FindSymbolResponseSchema, { symbols }));
    }
    case 'remove': {
      const { repo } = fromBinary(ShardRemoveRequestSchema, data);
      const removed = engine.remove(repo);
      if (removed) deps.forget(repo);
      return toBinary(RemoveRepoResponseSchema, create(RemoveRepoResponseSchema, { removed }));
    }
    case 'status': {
      const { repo: name } = fromBinary(GetIndexStatusRequestSchema, data);
      const latest = deps.lastEvents.get(name);
      const record = engine.repos().find((repo) => repo.name === name);
      const event =
        latest ??
        (record
          ? create(IndexEventSchema, { repo: name, state: IndexState.DONE, commit: record.commit ?? '', chunks: record.chunks, at: record.indexedAt ?? '' })
          : undefined);
      return toBinary(GetIndexStatusResponseSchema, create(GetIndexStatusResponseSchema, { event }));
    }
  }
}

/** The scope a request carries (the message already has a read scope's shape); a request without one may read nothing. */
function toReadScope(scope: Scope | undefined): ReadScope {
  return scope ?? NOTHING;
}

function readable(scope: ReadScope, requested: readonly string[], present: readonly string[]): string[] {
  const unknown = requested.find((repo) => !present.includes(repo) || !repoVisible(scope, repo));
  if (unknown !== undefined) throw new ConexusError('not_found', `unknown repository "${unknown}"`);
  return readableRepos(scope, requested, present);
}

function toResultMessage(result: SearchResult, commit: string): SearchResultMessage {
  return create(SearchResultSchema, {
    repo: result.repo,
    path: result.path,
    startLine: result.startLine,
    endLine: result.endLine,
    symbol: result.symbol ?? '',
    kind: result.kind,
    score: result.score,
    text: result.text ?? '',
    commit,
  });
}
