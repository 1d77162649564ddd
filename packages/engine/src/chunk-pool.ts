import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Chunker } from '@conexus/chunking';
import { ConexusError } from '@conexus/kernel';
import { chunkFile, type ChunkedFile } from './chunk-file.js';

const INLINE_FIRST = 16;

/** Chunks files on worker threads (or inline), so parsing uses every core while the main thread writes. */
export interface ChunkPool {
  chunk(repo: string, path: string, text: string): Promise<ChunkedFile>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (chunked: ChunkedFile) => void;
  reject: (error: Error) => void;
}

/** Starts `workers` chunking threads; with 0 (or when run from sources) it chunks inline with `chunker`. */
export function createChunkPool(chunker: Chunker, workers: number): ChunkPool {
  const script = fileURLToPath(new URL('./chunk-worker.js', import.meta.url));
  if (workers <= 0 || !existsSync(script)) {
    return { chunk: async (repo, path, text) => chunkFile(chunker, repo, path, text), close: async () => undefined };
  }
  const pending = new Map<number, Pending>();
  const load = new Map<Worker, number>();
  let threads: Worker[] = [];
  let started = false;
  let inlineJobs = 0;
  let nextId = 0;
  const start = (): Worker[] =>
    Array.from({ length: workers }, () => {
      const worker = new Worker(script);
      load.set(worker, 0);
      worker.on('message', (message: { id?: number; chunked?: ChunkedFile; error?: string }) => {
        if (message.id === undefined) return;
        const job = pending.get(message.id);
        pending.delete(message.id);
        load.set(worker, (load.get(worker) ?? 1) - 1);
        if (message.error !== undefined) job?.reject(new ConexusError('internal', `chunking failed: ${message.error}`));
        else job?.resolve(message.chunked ?? { writes: [], redactions: [] });
      });
      const fail = (error: unknown): void => {
        // why: a dead worker must not leave the run waiting forever; its jobs fail and it takes no new ones.
        threads = threads.filter((thread) => thread !== worker);
        for (const job of pending.values()) job.reject(ConexusError.from(error));
        pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0) fail(new ConexusError('internal', `a chunking worker exited with code ${code}`));
      });
      return worker;
    });
  return {
    async chunk(repo, path, text) {
      // why: starting workers costs a few hundred milliseconds; a small re-index is done before they would be ready.
      if (!started && inlineJobs < INLINE_FIRST) {
        inlineJobs += 1;
        return chunkFile(chunker, repo, path, text);
      }
      if (!started) {
        started = true;
        threads = start();
      }
      if (threads.length === 0) return chunkFile(chunker, repo, path, text);
      const worker = threads.reduce((best, candidate) => (load.get(candidate)! < load.get(best)! ? candidate : best));
      load.set(worker, load.get(worker)! + 1);
      const id = (nextId += 1);
      return new Promise<ChunkedFile>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, repo, path, text });
      });
    },
    async close() {
      await Promise.all(threads.map((worker) => worker.terminate()));
    },
  };
}
