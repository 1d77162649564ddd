import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConexusError, isErrorCode } from '@conexus/kernel';
import type { RankingWeights } from '@conexus/retrieval';
import { createDeadlineQueue } from './deadline-queue.js';
import type { SearchRequest, SearchResponse } from './search-index.js';
import { createThreadPool } from './thread-pool.js';

/** One search for a pool thread: which store, the question, and the query vector when dense retrieval applies. */
export interface PooledSearch {
  readonly dataDir: string;
  readonly request: SearchRequest;
  readonly embedderId: string | null;
  readonly queryVector: Float32Array | null;
  readonly weights?: RankingWeights;
}

/** What a search thread answers: the response, or the failure with its error code. */
export type SearchReply =
  { readonly response: SearchResponse } | { readonly error: { readonly code: string; readonly message: string } };

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
  // why: the pool replaces a thread that dies and keeps the process alive while a search runs; piscina's own queue
  // stays empty, because the deadline queue hands it at most one search per thread.
  const pool = createThreadPool<PooledSearch, SearchReply>({ script, threads, workerData: { annMinVectors } });
  let lanesLeft = threads;
  // why: each thread runs one search at a time and the rest wait in the deadline queue, where a search that can no
  // longer meet its deadline is refused or dropped; a search handed to a thread runs to its end (cancelling it
  // would terminate the thread and lose its open stores and caches).
  const lanes = Array.from({ length: threads }, (_, lane) => async (job: PooledSearch): Promise<SearchResponse> => {
    let reply: SearchReply;
    try {
      reply = await pool.run(job);
    } catch (error) {
      // why: a dead thread fails only its own search and is replaced, except one that died while starting, which
      // would only die again: its lane then takes no more searches.
      if (pool.threads < lanesLeft) {
        lanesLeft -= 1;
        queue.retire(lane);
      }
      throw pool.stopped ? new ConexusError('unavailable', 'no search thread is running') : ConexusError.from(error);
    }
    if ('error' in reply)
      throw new ConexusError(isErrorCode(reply.error.code) ? reply.error.code : 'internal', reply.error.message);
    return reply.response;
  });
  // why: a thread's own search time, not the time until its answer is read: a busy event loop delays the reading
  // for a moment, and counting that as search time would refuse searches a free thread could run at once.
  const queue = createDeadlineQueue(lanes, { costOf: (response) => response.tookMs });
  return {
    search: (job) => queue.run(job, job.request.deadline),
    close: () => pool.close(),
  };
}
