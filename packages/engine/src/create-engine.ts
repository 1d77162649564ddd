import type { Chunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { DEFAULT_MAX_FILE_BYTES } from '@conexus/ingest';
import type { RankingWeights } from '@conexus/retrieval';
import { openEmbeddingCache, openSqliteStore, type RepoRecord, type RepoRow } from '@conexus/store-sqlite';
import { createChunkPool } from './chunk-pool.js';
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

  return {
    async index(directory, name) {
      const chunks = createChunkPool(options.chunker, options.chunkWorkers ?? 0);
      try {
        const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
        const summary = await indexRepo({ store, cache, chunks, embedder, maxFileBytes }, directory, name);
        if (embedder) caches.buildAnn(summary.repo, embedder);
        return summary;
      } finally {
        await chunks.close();
      }
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
      reader.close();
      store.close();
      cache.close();
      await embedder?.close();
    },
  };
}
