import type { Embedder } from '@conexus/embedding';
import type { SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import { embeddingText } from './embedding-text.js';

// why: large batches let the embedder group texts of similar length; the cache still commits every batch.
const BATCH = 256;

/** Embeds every chunk of the repositories whose vector is not cached yet; returns how many were embedded. */
export async function embedMissing(
  store: SqliteStore,
  cache: SqliteEmbeddingCache,
  embedder: Embedder,
  repoIds: readonly number[],
): Promise<number> {
  const rows = store.chunksOfRepos(repoIds);
  const uniqueHashes = new Map<string, number>();
  for (const row of rows) if (!uniqueHashes.has(row.embedHash)) uniqueHashes.set(row.embedHash, row.rowid);
  const cached = cache.get(embedder.id, [...uniqueHashes.keys()]);
  const missing = [...uniqueHashes].filter(([hash]) => !cached.has(hash));
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    const chunks = store.chunksByRowid(batch.map(([, rowid]) => rowid));
    const texts = batch.map(([, rowid]) => embeddingText(chunks.get(rowid)!));
    const vectors = await embedder.embedDocuments(texts);
    // why: the cache commits on its own, so an interrupted run keeps the vectors it paid for.
    cache.put(embedder.id, new Map(batch.map(([hash], i) => [hash, vectors[i]!])));
  }
  return missing.length;
}
