import { parentPort } from 'node:worker_threads';
import { createChunker } from '@conexus/chunking';
import { chunkFile } from './chunk-file.js';

/** A request to the chunking worker. */
export interface ChunkJob {
  readonly id: number;
  readonly repo: string;
  readonly path: string;
  readonly text: string;
}

const chunker = await createChunker();
parentPort!.on('message', (job: ChunkJob) => {
  try {
    parentPort!.postMessage({ id: job.id, chunked: chunkFile(chunker, job.repo, job.path, job.text) });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
