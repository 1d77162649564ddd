import type { Embedder } from '@conexus/embedding';
import { contentHash } from '@conexus/kernel';
import type { RepoRow, SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import { annFile, buildAnnIndex, loadAnnIndex } from './usearch-matrix.js';
import { combineMatrices, createVectorMatrix, type VectorMatrix } from './vector-matrix.js';

/** Repositories with fewer vectors than this are searched exactly. */
export const DEFAULT_ANN_MIN_VECTORS = 50_000;

/** What searches reuse between queries: vector matrices and file lists, keyed on repository generations. */
export interface SearchCaches {
  readonly vectors: (repos: readonly RepoRow[], model: Embedder) => VectorMatrix;
  readonly filePaths: (repos: readonly RepoRow[]) => readonly { repoId: number; path: string }[];
  /** Builds the HNSW index of a freshly indexed repository when it is large enough. */
  buildAnn(repoName: string, model: Embedder): void;
}

/** Creates the caches of one store; each search thread has its own. */
export function createSearchCaches(
  store: SqliteStore,
  cache: SqliteEmbeddingCache,
  dataDir: string,
  annMinVectors: number,
): SearchCaches {
  const matrices = new Map<string, VectorMatrix>();

  const repoVectors = (repo: RepoRow, model: Embedder): { rowids: number[]; vectors: Float32Array[] } => {
    const rows = store.chunksOfRepos([repo.id]);
    const found = cache.get(model.id, [...new Set(rows.map((row) => row.embedHash))]);
    const present = rows.filter((row) => found.has(row.embedHash));
    return { rowids: present.map((row) => row.rowid), vectors: present.map((row) => found.get(row.embedHash)!) };
  };
  const exact = new WeakSet<VectorMatrix>();
  const repoMatrix = (repo: RepoRow, model: Embedder): VectorMatrix => {
    const key = `${model.id}|${repo.id}:${repo.generation}`;
    let matrix = matrices.get(key);
    // why: the HNSW index of a snapshot is built just after its vectors are recorded, so a search in between (on
    // another thread) finds none and searches exactly; a large repository looks again, and switches once it exists.
    if (matrix && exact.has(matrix) && matrix.size >= annMinVectors) matrix = undefined;
    if (!matrix) {
      const ann = loadAnnIndex(annFile(dataDir, repo.id, repo.generation, contentHash(model.id)));
      if (ann) {
        matrix = ann;
      } else if (matrices.has(key)) {
        matrix = matrices.get(key)!;
      } else {
        const { rowids, vectors: found } = repoVectors(repo, model);
        matrix = createVectorMatrix(rowids, found);
        exact.add(matrix);
      }
      for (const stale of [...matrices.keys()].filter((name) => name.startsWith(`${model.id}|${repo.id}:`)))
        matrices.delete(stale);
      matrices.set(key, matrix);
    }
    return matrix;
  };
  const vectors = (repos: readonly RepoRow[], model: Embedder): VectorMatrix =>
    combineMatrices(repos.map((repo) => repoMatrix(repo, model)));
  // why: exact search over a large repository costs tens of milliseconds per query; an HNSW index built
  // once per snapshot answers in about one.
  const buildAnn = (repoName: string, model: Embedder): void => {
    const repo = store.findRepo(repoName);
    if (!repo || repo.embedder !== model.id || repo.chunks < annMinVectors) return;
    const { rowids, vectors: found } = repoVectors(repo, model);
    if (rowids.length < annMinVectors) return;
    buildAnnIndex(annFile(dataDir, repo.id, repo.generation, contentHash(model.id)), rowids, found);
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

  return { vectors, filePaths, buildAnn };
}
