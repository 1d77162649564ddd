import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConexusError, isErrorCode } from '@conexus/kernel';
import type { RankingWeights } from '@conexus/retrieval';
import type { SearchRequest, SearchResponse } from './search-index.js';

/** One search for a pool thread: which store, the question, and the query vector when dense retrieval applies. */
export interface PooledSearch {
  readonly dataDir: string;
  readonly request: SearchRequest;
  readonly embedderId: string | null;
  readonly queryVector: Float32Array | null;
  readonly weights?: RankingWeights;
}

/** Threads that run searches in parallel, each with read-only connections to the stores it has served. */
export interface SearchPool {
  search(job: PooledSearch): Promise<SearchResponse>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (response: SearchResponse) => void;
  reject: (error: Error) => void;
}

/** Starts `threads` search threads, or returns null when there are none to start (0, or run from sources). */
export function createSearchPool(threads: number, annMinVectors?: number): SearchPool | null {
  const script = fileURLToPath(new URL('./search-worker.js', import.meta.url));
  if (threads <= 0 || !existsSync(script)) return null;
  const pending = new Map<number, Pending>();
  const load = new Map<Worker, number>();
  let nextId = 0;
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(script, { workerData: { annMinVectors } });
    load.set(worker, 0);
    worker.on('message', (message: { id: number; response?: SearchResponse; error?: { code: string; message: string } }) => {
      const job = pending.get(message.id);
      pending.delete(message.id);
      load.set(worker, (load.get(worker) ?? 1) - 1);
      if (message.error) job?.reject(new ConexusError(isErrorCode(message.error.code) ? message.error.code : 'internal', message.error.message));
      else job?.resolve(message.response!);
    });
    worker.on('error', (error) => {
      // why: a dead thread must not leave searches waiting forever.
      load.delete(worker);
      for (const job of pending.values()) job.reject(ConexusError.from(error));
      pending.clear();
    });
    worker.unref();
    return worker;
  });
  return {
    search(job) {
      const live = workers.filter((worker) => load.has(worker));
      if (live.length === 0) return Promise.reject(new ConexusError('unavailable', 'no search thread is running'));
      const worker = live.reduce((best, candidate) => (load.get(candidate)! < load.get(best)! ? candidate : best));
      const id = nextId++;
      load.set(worker, load.get(worker)! + 1);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, ...job });
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
