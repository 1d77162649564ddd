import type { SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import type { EmbedPool } from './embed-pool.js';
import { embeddingText } from './embedding-text.js';
import type { DenseSummary, IndexProgress } from './index-progress.js';
import { createProgressMeter } from './progress-meter.js';

// why: chunks are read (and sorted by length, so a batch pads little) a window at a time, and embedded in small
// batches: a running batch cannot be cut short, so its size bounds how long a stop waits; the cache commits each.
const WINDOW = 256;
const BATCH = 8;

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
  const meter = createProgressMeter(run.repo, 'embedding', run.onProgress);
  const progress = (final: boolean): void => meter(embedded, total, final);

  progress(true);
  for (let start = 0; start < total && !run.signal.aborted; start += WINDOW) {
    const window = run.missing.slice(start, start + WINDOW);
    const chunks = run.reader.chunksByRowid(window.map(([, rowid]) => rowid));
    // why: a chunk gone since the commit (a later snapshot replaced it) needs no vector.
    const texts = window
      .filter(([, rowid]) => chunks.has(rowid))
      .map(([hash, rowid]) => ({ hash, text: embeddingText(chunks.get(rowid)!) }))
      .sort((a, b) => a.text.length - b.text.length);
    embedded += window.length - texts.length;
    for (let first = 0; first < texts.length; first += BATCH) {
      if (run.signal.aborted) break;
      const batch = texts.slice(first, first + BATCH);
      let vectors: Float32Array[];
      try {
        vectors = await run.pool.embedDocuments(
          batch.map(({ text }) => text),
          run.signal,
        );
      } catch (error) {
        if (run.signal.aborted) break;
        throw error;
      }
      // why: the cache commits on its own, so a stopped run keeps the vectors it paid for.
      run.cache.put(run.embedderId, new Map(batch.map(({ hash }, i) => [hash, vectors[i]!])));
      embedded += batch.length;
      progress(false);
    }
  }
  progress(true);
  return { embedded, seconds: (performance.now() - started) / 1000, complete: embedded === total };
}
