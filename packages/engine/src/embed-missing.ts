import type { SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import type { EmbedPool } from './embed-pool.js';
import { embeddingText } from './embedding-text.js';
import type { DenseSummary, IndexProgress } from './index-progress.js';

// why: small batches keep a stop prompt (a running batch is never cut short) and let the cache commit often; the
// embedder still sorts each batch by length.
const BATCH = 32;
const PROGRESS_EVERY_MS = 500;

/** The chunks of one repository snapshot whose vectors are missing: one chunk (its rowid) per embedding hash. */
export type MissingVectors = readonly (readonly [embedHash: string, rowid: number])[];

/** Finds the chunks of repositories whose vector is not cached for `embedderId`, one per distinct text. */
export function missingVectors(
  store: SqliteStore,
  cache: SqliteEmbeddingCache,
  embedderId: string,
  repoIds: readonly number[],
): MissingVectors {
  const uniqueHashes = new Map<string, number>();
  for (const row of store.chunksOfRepos(repoIds))
    if (!uniqueHashes.has(row.embedHash)) uniqueHashes.set(row.embedHash, row.rowid);
  const cached = cache.get(embedderId, [...uniqueHashes.keys()]);
  return [...uniqueHashes].filter(([hash]) => !cached.has(hash));
}

/** What one dense phase embeds, where it reads the chunks and caches their vectors, and how it is watched. */
export interface EmbedMissingRun {
  readonly repo: string;
  readonly missing: MissingVectors;
  /** A connection that sees committed snapshots only. */
  readonly reader: SqliteStore;
  readonly cache: SqliteEmbeddingCache;
  readonly embedderId: string;
  readonly pool: EmbedPool;
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: IndexProgress) => void;
}

/** Embeds the missing vectors batch by batch, caching each batch; stops between batches when `signal` aborts. */
export async function embedMissing(run: EmbedMissingRun): Promise<DenseSummary> {
  const started = performance.now();
  const total = run.missing.length;
  let embedded = 0;
  let reported = -Infinity;
  const progress = (force: boolean): void => {
    const now = performance.now();
    if (!run.onProgress || (!force && now - reported < PROGRESS_EVERY_MS)) return;
    reported = now;
    const seconds = (now - started) / 1000;
    run.onProgress({
      repo: run.repo,
      phase: 'embedding',
      done: embedded,
      total,
      perSecond: seconds > 0 ? embedded / seconds : 0,
    });
  };
  progress(true);
  for (let start = 0; start < total; start += BATCH) {
    if (run.signal.aborted) break;
    const batch = run.missing.slice(start, start + BATCH);
    const chunks = run.reader.chunksByRowid(batch.map(([, rowid]) => rowid));
    // why: a chunk gone since the commit (a later snapshot replaced it) needs no vector.
    const present = batch.filter(([, rowid]) => chunks.has(rowid));
    let vectors: Float32Array[];
    try {
      vectors = await run.pool.embedDocuments(
        present.map(([, rowid]) => embeddingText(chunks.get(rowid)!)),
        run.signal,
      );
    } catch (error) {
      if (run.signal.aborted) break;
      throw error;
    }
    // why: the cache commits on its own, so a stopped run keeps the vectors it paid for.
    run.cache.put(run.embedderId, new Map(present.map(([hash], i) => [hash, vectors[i]!])));
    embedded += batch.length;
    progress(false);
  }
  progress(true);
  return { embedded, seconds: (performance.now() - started) / 1000, complete: embedded === total };
}
