import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConexusError, isErrorCode } from '@conexus/kernel';
import type { RankingWeights } from '@conexus/retrieval';
import { createDeadlineQueue } from './deadline-queue.js';
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
  /** Queues a search for the next free thread, within `job.request.deadline` when it has one (see DeadlineQueue.run). */
  search(job: PooledSearch): Promise<SearchResponse>;
  close(): Promise<void>;
}

/** Starts `threads` search threads, or returns null when there are none to start (0, or run from sources). */
export function createSearchPool(threads: number, annMinVectors?: number): SearchPool | null {
  const script = fileURLToPath(new URL('./search-worker.js', import.meta.url));
  if (threads <= 0 || !existsSync(script)) return null;
  let nextId = 0;
  const workers = Array.from({ length: threads }, () => new Worker(script, { workerData: { annMinVectors } }));
  // why: each thread runs one search at a time and the rest wait here, where a search that can no longer meet its
  // deadline is refused or dropped; a search posted to a thread could not be taken back.
  const lanes = workers.map((worker, lane) => {
    let current: { id: number; resolve: (response: SearchResponse) => void; reject: (error: Error) => void } | null = null;
    worker.on('message', (message: { id: number; response?: SearchResponse; error?: { code: string; message: string } }) => {
      if (!current || current.id !== message.id) return;
      const job = current;
      current = null;
      if (message.error) job.reject(new ConexusError(isErrorCode(message.error.code) ? message.error.code : 'internal', message.error.message));
      else job.resolve(message.response!);
    });
    worker.on('error', (error) => {
      // why: a dead thread must not leave a search waiting forever, nor be given another.
      queue.retire(lane);
      current?.reject(ConexusError.from(error));
      current = null;
    });
    worker.unref();
    return (job: PooledSearch) =>
      new Promise<SearchResponse>((resolve, reject) => {
        current = { id: nextId++, resolve, reject };
        worker.postMessage({ id: current.id, ...job });
      });
  });
  // why: a thread's own search time, not the time until its answer is read: a busy event loop delays the reading
  // for a moment, and counting that as search time would refuse searches a free thread could run at once.
  const queue = createDeadlineQueue(lanes, { costOf: (response) => response.tookMs });
  return {
    search: (job) => queue.run(job, job.request.deadline),
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
