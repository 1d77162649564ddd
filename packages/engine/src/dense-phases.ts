import type { SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import { embedMissing, type MissingVectors } from './embed-missing.js';
import type { EmbedPool } from './embed-pool.js';
import type { DenseSummary, IndexRunOptions } from './index-progress.js';

/** What the dense phases of one store need: where to read and record, what to embed with, and when writes are free. */
export interface DensePhasesDeps {
  /** The writing connection: records the embedder once a repository's vectors are complete. */
  readonly store: SqliteStore;
  /** A read-only connection: sees committed snapshots only, never one being written. */
  readonly reader: SqliteStore;
  readonly cache: SqliteEmbeddingCache;
  readonly embedderId: string;
  readonly pool: EmbedPool;
  /** Resolves when no snapshot transaction is open on `store`. */
  readonly writerIdle: () => Promise<void>;
  /** Called once a repository's vectors are complete and recorded (to build its HNSW index). */
  readonly onComplete: (repo: string) => void;
}

/** The background dense phases of one store: at most one per repository, the latest snapshot's. */
export interface DensePhases {
  /** Embeds a committed snapshot's missing vectors in the background; resolves (never rejects when stopped) at its end. */
  start(repo: { name: string; id: number }, missing: MissingVectors, options: IndexRunOptions): Promise<DenseSummary>;
  /** Stops a repository's running dense phase (a new snapshot of it is being written). */
  cancel(repo: string): void;
  /** Stops every dense phase and waits until they have settled. */
  close(): Promise<void>;
}

/** Creates the registry of a store's dense phases. */
export function createDensePhases(deps: DensePhasesDeps): DensePhases {
  const running = new Map<string, { stop: AbortController; done: Promise<unknown> }>();
  const run = async (
    repo: { name: string; id: number },
    missing: MissingVectors,
    signal: AbortSignal,
    options: IndexRunOptions,
  ): Promise<DenseSummary> => {
    const { reader, cache, embedderId, pool } = deps;
    const summary = await embedMissing({
      repo: repo.name,
      missing,
      reader,
      cache,
      embedderId,
      pool,
      signal,
      ...options,
    });
    if (!summary.complete || signal.aborted) return { ...summary, complete: false };
    // why: a snapshot transaction may be open on the writing connection (another repository of this store being
    // indexed); a write now would join that transaction and share its fate.
    await deps.writerIdle();
    if (signal.aborted) return { ...summary, complete: false };
    deps.store.setEmbedder(repo.id, embedderId);
    deps.onComplete(repo.name);
    return summary;
  };
  return {
    start(repo, missing, options) {
      running.get(repo.name)?.stop.abort();
      const stop = new AbortController();
      const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
      const done = run(repo, missing, signal, options);
      const entry = { stop, done: done.catch(() => undefined) };
      running.set(repo.name, entry);
      void entry.done.then(() => {
        if (running.get(repo.name) === entry) running.delete(repo.name);
      });
      return done;
    },
    cancel: (repo) => running.get(repo)?.stop.abort(),
    async close() {
      const settling = [...running.values()];
      for (const { stop } of settling) stop.abort();
      await Promise.all(settling.map(({ done }) => done));
    },
  };
}
