import type { Chunker } from '@conexus/chunking';
import { contentHash } from '@conexus/kernel';
import type { Embedder } from '@conexus/embedding';
import { DEFAULT_MAX_FILE_BYTES } from '@conexus/ingest';
import type { RankingWeights } from '@conexus/retrieval';
import { openEmbeddingCache, openSqliteStore, type RepoRecord, type RepoRow } from '@conexus/store-sqlite';
import { createChunkPool } from './chunk-pool.js';
import { indexRepo, type IndexSummary } from './index-repo.js';
import { findSymbols, type FindSymbolsRequest } from './find-symbols.js';
import { searchIndex, type SearchRequest, type SearchResponse, type SearchResult } from './search-index.js';
import { annFile, buildAnnIndex, loadAnnIndex } from './usearch-matrix.js';
import { combineMatrices, createVectorMatrix, type VectorMatrix } from './vector-matrix.js';

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
}

const DEFAULT_ANN_MIN_VECTORS = 50_000;

/** The embedded Conexus engine: index directories, search them, manage repositories. */
export interface Engine {
  index(directory: string, name?: string): Promise<IndexSummary>;
  search(request: SearchRequest): Promise<SearchResponse>;
  findSymbols(request: FindSymbolsRequest): SearchResult[];
  /** Whether a repository's latest snapshot holds a file. */
  hasFile(repo: string, path: string): boolean;
  repos(): RepoRecord[];
  remove(name: string): boolean;
  close(): Promise<void>;
}

/** Opens the engine on a data directory. */
export function createEngine(options: EngineOptions): Engine {
  const store = openSqliteStore(options.dataDir);
  const cache = openEmbeddingCache(options.dataDir);
  const embedder = options.embedder ?? null;
  const matrices = new Map<string, VectorMatrix>();

  const annMinVectors = options.annMinVectors ?? DEFAULT_ANN_MIN_VECTORS;
  const repoVectors = (repo: RepoRow, model: Embedder): { rowids: number[]; vectors: Float32Array[] } => {
    const rows = store.chunksOfRepos([repo.id]);
    const found = cache.get(model.id, [...new Set(rows.map((row) => row.embedHash))]);
    const present = rows.filter((row) => found.has(row.embedHash));
    return { rowids: present.map((row) => row.rowid), vectors: present.map((row) => found.get(row.embedHash)!) };
  };
  const repoMatrix = (repo: RepoRow, model: Embedder): VectorMatrix => {
    const key = `${model.id}|${repo.id}:${repo.generation}`;
    let matrix = matrices.get(key);
    if (!matrix) {
      const ann = loadAnnIndex(annFile(options.dataDir, repo.id, repo.generation, contentHash(model.id)));
      if (ann) {
        matrix = ann;
      } else {
        const { rowids, vectors: found } = repoVectors(repo, model);
        matrix = createVectorMatrix(rowids, found);
      }
      for (const stale of [...matrices.keys()].filter((name) => name.startsWith(`${model.id}|${repo.id}:`))) matrices.delete(stale);
      matrices.set(key, matrix);
    }
    return matrix;
  };
  const vectors = (repos: readonly RepoRow[], model: Embedder): VectorMatrix => combineMatrices(repos.map((repo) => repoMatrix(repo, model)));
  // why: exact search over a large repository costs tens of milliseconds per query; an HNSW index built
  // once per snapshot answers in about one.
  const buildAnn = (repoName: string, model: Embedder): void => {
    const repo = store.findRepo(repoName);
    if (!repo || repo.embedder !== model.id || repo.chunks < annMinVectors) return;
    const { rowids, vectors: found } = repoVectors(repo, model);
    if (rowids.length < annMinVectors) return;
    buildAnnIndex(annFile(options.dataDir, repo.id, repo.generation, contentHash(model.id)), rowids, found);
  };

  const paths = new Map<string, readonly { repoId: number; path: string }[]>();
  const filePaths = (repos: readonly RepoRow[]): readonly { repoId: number; path: string }[] => {
    const key = repos.map((repo) => `${repo.id}:${repo.generation}`).join(',');
    let found = paths.get(key);
    if (!found) {
      found = store.filePaths(repos.map((repo) => repo.id));
      paths.clear();
      paths.set(key, found);
    }
    return found;
  };

  return {
    async index(directory, name) {
      const chunks = createChunkPool(options.chunker, options.chunkWorkers ?? 0);
      try {
        const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
        const summary = await indexRepo({ store, cache, chunks, embedder, maxFileBytes }, directory, name);
        if (embedder) buildAnn(summary.repo, embedder);
        return summary;
      } finally {
        await chunks.close();
      }
    },
    search: (request) => searchIndex({ store, embedder, vectors, filePaths, weights: options.weights }, request),
    findSymbols: (request) => findSymbols(store, request),
    hasFile(repo, path) {
      const row = store.findRepo(repo);
      return row !== null && store.hasFile(row.id, path);
    },
    repos: () => store.listRepos(),
    remove: (name) => store.removeRepo(name),
    async close() {
      store.close();
      cache.close();
      await embedder?.close();
    },
  };
}
