import { workerData } from 'node:worker_threads';
import type { Embedder } from '@conexus/embedding';
import { ConexusError } from '@conexus/kernel';
import { openEmbeddingCache, openSqliteStore, type SqliteStore } from '@conexus/store-sqlite';
import { createSearchCaches, DEFAULT_ANN_MIN_VECTORS, type SearchCaches } from './search-caches.js';
import { searchIndex } from './search-index.js';
import type { PooledSearch, SearchReply } from './search-pool.js';

const annMinVectors = (workerData as { annMinVectors?: number }).annMinVectors ?? DEFAULT_ANN_MIN_VECTORS;
const opened = new Map<string, { store: SqliteStore; caches: SearchCaches }>();

function storeOf(dataDir: string): { store: SqliteStore; caches: SearchCaches } {
  let found = opened.get(dataDir);
  if (!found) {
    const store = openSqliteStore(dataDir, { readonly: true });
    found = {
      store,
      caches: createSearchCaches(store, openEmbeddingCache(dataDir, { readonly: true }), dataDir, annMinVectors),
    };
    opened.set(dataDir, found);
  }
  return found;
}

// why: the vector was computed by the engine's own embedder; this stand-in only hands it over.
function givenVector(id: string, vector: Float32Array): Embedder {
  return {
    id,
    embedQuery: async () => vector,
    embedDocuments: async () => {
      throw new ConexusError('internal', 'search threads do not embed documents');
    },
    close: async () => {},
  };
}

/** Runs one search on this thread (piscina's task handler); failures come back as values, their code kept. */
export default async function runPooledSearch(job: PooledSearch): Promise<SearchReply> {
  try {
    const { store, caches } = storeOf(job.dataDir);
    const embedder = job.embedderId && job.queryVector ? givenVector(job.embedderId, job.queryVector) : null;
    return {
      response: await searchIndex(
        { store, embedder, vectors: caches.vectors, filePaths: caches.filePaths, weights: job.weights },
        job.request,
      ),
    };
  } catch (error) {
    // why: an error thrown across the thread boundary loses its code; a plain object keeps it.
    const typed = ConexusError.from(error);
    return { error: { code: typed.code, message: typed.message } };
  }
}
