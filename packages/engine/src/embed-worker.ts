import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { openRecordedEmbedder, type Embedder } from '@conexus/embedding';
import { ConexusError } from '@conexus/kernel';

/** What an embedding thread is started with: the embedder's id, its ONNX threads and its scheduling priority. */
export interface EmbedWorkerData {
  readonly embedderId: string;
  readonly threads: number;
  /** A nice value (0-19) for this thread and the model's threads; null leaves the priority alone. */
  readonly nice: number | null;
}

const settings = workerData as EmbedWorkerData;
// why: on Linux a nice value set from a thread applies to that thread alone, and the threads it starts afterwards
// (the ONNX runtime's) inherit it; so it is set before the model loads, and serving threads keep their priority.
if (settings.nice !== null) {
  try {
    setPriority(0, settings.nice);
  } catch {
    // why: a platform that refuses only loses the lower priority, not the embedding.
  }
}
const embedder: Embedder | null = await openRecordedEmbedder(settings.embedderId, process.env, {
  threads: settings.threads,
});
if (embedder?.id !== settings.embedderId)
  throw new ConexusError('internal', `the embedding thread cannot reopen "${settings.embedderId}"`);

/** Embeds one batch of document texts on this thread (piscina's task handler). */
export default function embedOnThread(texts: readonly string[]): Promise<Float32Array[]> {
  return embedder!.embedDocuments(texts);
}
