import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '@conexus/embedding';
import { ConexusError } from '@conexus/kernel';
import type { EmbedWorkerData } from './embed-worker.js';
import { createThreadPool, type ThreadPool } from './thread-pool.js';

/** How documents are embedded off the serving thread. */
export interface EmbedPoolOptions {
  /** Threads that embed at once, each with its own copy of the model (default 1). */
  readonly workers?: number;
  /** ONNX intra-op threads per worker (default: every core but one, at least 1, so one stays for serving). */
  readonly threads?: number;
  /** Nice value of the embedding threads (default 10); null keeps the process's priority. */
  readonly nice?: number | null;
  /** The worker module (default: embed-worker.js beside this one). */
  readonly script?: string;
}

/** Embeds documents for the dense phase; queries stay with the engine's own embedder. */
export interface EmbedPool {
  /** Embeds one batch; fails at once when `signal` has aborted, but a batch a thread has begun runs to its end. */
  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Whether batches run on worker threads (false: on the calling thread, for I/O-bound or in-process embedders). */
  readonly threaded: boolean;
  /** Refuses new batches, lets the running ones end (at most 1.5 s), then terminates the threads. */
  close(): Promise<void>;
}

const CLOSE_WAIT_MS = 1_500;

/** Default nice value of embedding threads. */
export const DEFAULT_EMBED_NICE = 10;

/**
 * Creates the pool that embeds documents: local ONNX models on worker threads, started on first use; other
 * embedders (an HTTP API, whose calls are I/O) or runs from sources on the calling thread.
 */
export function createEmbedPool(embedder: Embedder, options: EmbedPoolOptions = {}): EmbedPool {
  const script = options.script ?? fileURLToPath(new URL('./embed-worker.js', import.meta.url));
  const workers = options.workers ?? 1;
  if (!embedder.id.startsWith('onnx:') || workers <= 0 || !existsSync(script)) {
    return {
      threaded: false,
      async embedDocuments(texts, signal) {
        signal?.throwIfAborted();
        return embedder.embedDocuments(texts);
      },
      close: async () => undefined,
    };
  }
  const workerData: EmbedWorkerData = {
    embedderId: embedder.id,
    threads: options.threads ?? Math.max(1, availableParallelism() - 1),
    nice: options.nice === undefined ? DEFAULT_EMBED_NICE : options.nice,
  };
  let pool: ThreadPool<readonly string[], Float32Array[]> | null = null;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  const run = async (texts: readonly string[]): Promise<Float32Array[]> => {
    if (closed) throw new ConexusError('cancelled', 'the engine is closing');
    // why: a worker loads its own copy of the model; a server that only answers queries never pays for it.
    pool ??= createThreadPool({ script, threads: workers, workerData });
    const batch = pool.run(texts);
    const settled = batch.catch(() => undefined);
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return batch;
  };
  return {
    threaded: true,
    async embedDocuments(texts, signal) {
      signal?.throwIfAborted();
      // why: a batch is not cancelled once it runs: aborting it would terminate the thread and reload the model
      // (seconds) for the next run; batches are small, so a stop waits at most one.
      try {
        return await run(texts);
      } catch (error) {
        if (closed) throw new ConexusError('cancelled', 'the engine is closing');
        // why: a thread that died is replaced; its batch is tried once more on the new one, and fails the phase
        // only when it fails again (a batch that kills every thread it meets, or threads that cannot start).
        if (pool?.stopped) throw embedFailure(error);
        signal?.throwIfAborted();
        return run(texts).catch((again: unknown) => {
          throw embedFailure(again);
        });
      }
    },
    async close() {
      closed = true;
      // why: a thread terminated inside the model's native run aborts the whole process when that run returns; the
      // batches running now end within a batch's time (small batches), and then the threads stop cleanly.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
      await Promise.race([Promise.all(inFlight), bound]);
      clearTimeout(timer);
      await pool?.close();
    },
  };
}

function embedFailure(error: unknown): ConexusError {
  return error instanceof ConexusError
    ? error
    : new ConexusError('internal', `embedding failed: ${(error as Error).message}`);
}
