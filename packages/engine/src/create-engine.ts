import { basename, resolve } from 'node:path';
import type { Chunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { DEFAULT_MAX_FILE_BYTES } from '@conexus/ingest';
import { ConexusError } from '@conexus/kernel';
import type { RankingWeights } from '@conexus/retrieval';
import { openEmbeddingCache, openSqliteStore, type RepoRecord, type RepoRow } from '@conexus/store-sqlite';
import { createChunkPool } from './chunk-pool.js';
import { createDensePhases } from './dense-phases.js';
import { createEmbedPool, type EmbedPool } from './embed-pool.js';
import { indexRepo, type IndexSummary } from './index-repo.js';
import type { IndexRunOptions } from './index-progress.js';
import { contiguousSymbol } from './contiguous-symbol.js';
import { findSymbols, type FindSymbolsRequest } from './find-symbols.js';
import { searchIndex, type SearchRequest, type SearchResponse, type SearchResult } from './search-index.js';
import { createSearchCaches, DEFAULT_ANN_MIN_VECTORS } from './search-caches.js';
import type { SearchPool } from './search-pool.js';
import { withinDeadline } from './within-deadline.js';

/** How an engine is set up: where it stores its index, how it chunks and (optionally) embeds. */
export interface EngineOptions {
  readonly dataDir: string;
  readonly chunker: Chunker;
  /** Worker threads that chunk while the main thread writes; 0 chunks inline with `chunker`. */
  readonly chunkWorkers?: number;
  readonly embedder?: Embedder | null;
  readonly maxFileBytes?: number;
  readonly weights?: RankingWeights;
  /** Repositories with at least this many vectors get an HNSW index; smaller ones are searched exactly. */
  readonly annMinVectors?: number;
  /** Threads that run searches, shared by the engines of one process; without it searches run inline. */
  readonly searchPool?: SearchPool | null;
  /** Threads that embed documents, shared by the engines of one process; without it the engine starts its own. */
  readonly embedPool?: EmbedPool;
}

/** The embedded Conexus engine: index directories, search them, manage repositories. */
export interface Engine {
  /** Indexes a directory; resolves once its lexical snapshot is committed (and searchable), dense vectors following. */
  index(directory: string, name?: string, options?: IndexRunOptions): Promise<IndexSummary>;
  search(request: SearchRequest): Promise<SearchResponse>;
  findSymbols(request: FindSymbolsRequest): SearchResult[];
  /** Whether a repository's latest snapshot holds a file. */
  hasFile(repo: string, path: string): boolean;
  /** The whole of a symbol split into several chunks, around the chunk at `line`; null when it is one chunk. */
  symbolSpan(
    repo: string,
    path: string,
    symbol: string,
    line: number,
  ): { startLine: number; endLine: number; text: string } | null;
  /** Every repository with its file, chunk and skip counts; counting scans each repository's chunks. */
  repos(): RepoRecord[];
  /** Every repository without counts: cheap enough for each request. */
  repoRows(): RepoRow[];
  remove(name: string): boolean;
  /** Stops index runs and background embedding (what is committed stays), then closes the stores. */
  close(): Promise<void>;
}

/** Opens the engine on a data directory. */
export function createEngine(options: EngineOptions): Engine {
  const store = openSqliteStore(options.dataDir);
  const cache = openEmbeddingCache(options.dataDir);
  const embedder = options.embedder ?? null;
  // why: an index run keeps its snapshot transaction open across awaits; reads through the writing
  // connection would see that uncommitted snapshot, so every read goes through a read-only connection.
  const reader = openSqliteStore(options.dataDir, { readonly: true });
  const caches = createSearchCaches(reader, cache, options.dataDir, options.annMinVectors ?? DEFAULT_ANN_MIN_VECTORS);
  const pool = options.searchPool ?? null;
  // why: `findRepo` also counts the repository's files and chunks, a scan per call; lookups by name need only the row.
  const repoId = (name: string): number | undefined => reader.repoRows().find((row) => row.name === name)?.id;
  const ownPool = embedder && !options.embedPool ? createEmbedPool(embedder) : null;
  const closing = new AbortController();
  // why: index runs in progress; writes outside a snapshot wait for them, since they would join its transaction.
  const runs = new Set<Promise<unknown>>();
  const writerIdle = async (): Promise<void> => {
    while (runs.size > 0) await Promise.allSettled([...runs]);
  };
  const dense = embedder
    ? createDensePhases({
        store,
        reader,
        cache,
        embedderId: embedder.id,
        pool: options.embedPool ?? ownPool!,
        writerIdle,
        onComplete: (repo) => caches.buildAnn(repo, embedder),
      })
    : null;

  const indexLexically = async (directory: string, name: string | undefined, run: IndexRunOptions) => {
    const chunks = createChunkPool(options.chunker, options.chunkWorkers ?? 0);
    try {
      const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
      const deps = { store, cache, chunks, embedderId: embedder?.id ?? null, maxFileBytes };
      return await indexRepo(deps, directory, name, run);
    } finally {
      await chunks.close();
    }
  };

  return {
    async index(directory, name, runOptions = {}) {
      if (closing.signal.aborted) throw new ConexusError('cancelled', 'the engine is closed');
      // why: the repository's running dense phase embeds a snapshot about to be replaced.
      dense?.cancel(name ?? basename(resolve(directory)));
      const signal = runOptions.signal ? AbortSignal.any([closing.signal, runOptions.signal]) : closing.signal;
      const run = indexLexically(directory, name, { signal, onProgress: runOptions.onProgress });
      runs.add(run);
      const settled = (): boolean => runs.delete(run);
      const { summary, repoId: id, missing } = await run.finally(settled);
      if (!embedder || !dense) return { ...summary, dense: null };
      if (missing.length === 0) {
        caches.buildAnn(summary.repo, embedder);
        return { ...summary, dense: Promise.resolve({ embedded: 0, seconds: 0, complete: true }) };
      }
      const phase = dense.start({ name: summary.repo, id }, missing, { ...runOptions, signal });
      return { ...summary, dense: phase };
    },
    async search(request) {
      if (!pool)
        return searchIndex(
          { store: reader, embedder, vectors: caches.vectors, filePaths: caches.filePaths, weights: options.weights },
          request,
        );
      // why: the query is embedded here, once (a remote embedder may take longer than the caller waits); the search
      // itself runs on a pool thread with its own read-only connection.
      const dense = embedder && request.query.trim() && reader.repoRows().some((repo) => repo.embedder === embedder.id);
      const queryVector = dense
        ? await withinDeadline(embedder.embedQuery(request.query), request.deadline, 'embedding the query')
        : null;
      return pool.search({
        dataDir: options.dataDir,
        request,
        embedderId: embedder?.id ?? null,
        queryVector,
        weights: options.weights,
      });
    },
    findSymbols: (request) => findSymbols(reader, request),
    hasFile(repo, path) {
      const id = repoId(repo);
      return id !== undefined && reader.hasFile(id, path);
    },
    symbolSpan(repo, path, symbol, line) {
      const id = repoId(repo);
      return id === undefined ? null : contiguousSymbol(reader.chunksOfFile(id, path), symbol, line);
    },
    repos: () => reader.listRepos(),
    repoRows: () => reader.repoRows(),
    remove: (name) => store.removeRepo(name),
    async close() {
      // why: everything is stopped before anything is awaited, so a pool shared with other engines can be closed
      // right after this call returns its promise (see createShardedEngine).
      closing.abort();
      const stopped = Promise.all([dense?.close(), writerIdle()]);
      await ownPool?.close();
      await stopped;
      reader.close();
      store.close();
      cache.close();
      await embedder?.close();
    },
  };
}
