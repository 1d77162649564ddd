import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Chunker } from '@conexus/chunking';
import { ConexusError } from '@conexus/kernel';
import { chunkFile, type ChunkedFile } from './chunk-file.js';
import type { ChunkJob } from './chunk-worker.js';
import { createThreadPool, type ThreadPool } from './thread-pool.js';

const INLINE_FIRST = 16;
/** Files handed to each thread ahead of its answers, so it is not idle while the main thread writes. */
const AHEAD_PER_THREAD = 8;

/** Chunks files on worker threads (or inline), so parsing uses every core while the main thread writes. */
export interface ChunkPool {
  chunk(repo: string, path: string, text: string): Promise<ChunkedFile>;
  close(): Promise<void>;
}

/** Starts `workers` chunking threads; with 0 (or when run from sources) it chunks inline with `chunker`. */
export function createChunkPool(chunker: Chunker, workers: number): ChunkPool {
  const script = fileURLToPath(new URL('./chunk-worker.js', import.meta.url));
  if (workers <= 0 || !existsSync(script)) {
    return { chunk: async (repo, path, text) => chunkFile(chunker, repo, path, text), close: async () => undefined };
  }
  let pool: ThreadPool<ChunkJob, ChunkedFile> | null = null;
  let inlineJobs = 0;
  return {
    async chunk(repo, path, text) {
      // why: starting workers costs a few hundred milliseconds; a small re-index is done before they would be ready.
      if (!pool && inlineJobs < INLINE_FIRST) {
        inlineJobs += 1;
        return chunkFile(chunker, repo, path, text);
      }
      pool ??= createThreadPool({ script, threads: workers, tasksPerThread: AHEAD_PER_THREAD });
      // why: threads that died while starting are not started again; the rest of the run chunks inline.
      if (pool.stopped) return chunkFile(chunker, repo, path, text);
      // why: a thread that dies is replaced; only the files it held fail, and the run fails with them.
      try {
        return await pool.run({ repo, path, text });
      } catch (error) {
        throw new ConexusError('internal', `chunking failed: ${(error as Error).message}`);
      }
    },
    async close() {
      await pool?.close();
    },
  };
}
