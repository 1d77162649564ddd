import { createChunker } from '@conexus/chunking';
import { chunkFile, type ChunkedFile } from './chunk-file.js';

/** A request to the chunking worker. */
export interface ChunkJob {
  readonly repo: string;
  readonly path: string;
  readonly text: string;
}

const chunker = await createChunker();

/** Chunks one file on this thread (piscina's task handler). */
export default function chunkOnThread(job: ChunkJob): ChunkedFile {
  return chunkFile(chunker, job.repo, job.path, job.text);
}
