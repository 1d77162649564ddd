import type { Chunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { DEFAULT_MAX_FILE_BYTES } from '@conexus/ingest';
import type { RankingWeights } from '@conexus/retrieval';
import { openEmbeddingCache, openSqliteStore, type RepoRecord, type RepoRow } from '@conexus/store-sqlite';
import { createChunkPool } from './chunk-pool.js';
import { indexRepo, type IndexSummary } from './index-repo.js';
import { searchIndex, type SearchRequest, type SearchResponse } from './search-index.js';
import { createVectorMatrix, type VectorMatrix } from './vector-matrix.js';

/** How an engine is set up: where it stores its index, how it chunks and (optionally) embeds. */
export interface EngineOptions {
  readonly dataDir: string;
  readonly chunker: Chunker;
  /** Worker threads that chunk while the main thread writes; 0 chunks inline with `chunker`. */
  readonly chunkWorkers?: number;
  readonly embedder?: Embedder | null;
  readonly maxFileBytes?: number;
  readonly weights?: RankingWeights;
}

/** The embedded Conexus engine: index directories, search them, manage repositories. */
export interface Engine {
  index(directory: string, name?: string): Promise<IndexSummary>;
  search(request: SearchRequest): Promise<SearchResponse>;
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

  const vectors = (repos: readonly RepoRow[], model: Embedder): VectorMatrix => {
    const key = `${model.id}|${repos.map((repo) => `${repo.id}:${repo.generation}`).join(',')}`;
    const cached = matrices.get(key);
    if (cached) return cached;
    const rows = store.chunksOfRepos(repos.map((repo) => repo.id));
    const found = cache.get(model.id, [...new Set(rows.map((row) => row.embedHash))]);
    const present = rows.filter((row) => found.has(row.embedHash));
    const matrix = createVectorMatrix(
      present.map((row) => row.rowid),
      present.map((row) => found.get(row.embedHash)!),
    );
    matrices.clear();
    matrices.set(key, matrix);
    return matrix;
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
        return await indexRepo({ store, cache, chunks, embedder, maxFileBytes }, directory, name);
      } finally {
        await chunks.close();
      }
    },
    search: (request) => searchIndex({ store, embedder, vectors, filePaths, weights: options.weights }, request),
    repos: () => store.listRepos(),
    remove: (name) => store.removeRepo(name),
    async close() {
      store.close();
      cache.close();
      await embedder?.close();
    },
  };
}
