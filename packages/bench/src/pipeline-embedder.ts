import { basename, dirname, resolve } from 'node:path';
import type { Embedder } from '@conexus/embedding';

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'cls'; normalize: true },
) => Promise<{ tolist(): number[][] }>;

/**
 * The embedder as it was before token batching, kept as the benchmark's reference: the transformers.js
 * feature-extraction pipeline (int8, runtime-default threads), batches of 16 sorted by characters, texts
 * cut at 2,000 characters, CLS pooling as for bge.
 */
export async function createPipelineEmbedder(modelDir: string): Promise<Embedder> {
  const transformers = await import('@huggingface/transformers');
  transformers.env.localModelPath = dirname(resolve(modelDir));
  transformers.env.allowRemoteModels = false;
  const extractor = (await transformers.pipeline('feature-extraction', basename(resolve(modelDir)), {
    dtype: 'q8',
    device: 'cpu',
  })) as unknown as FeatureExtractor;
  return {
    id: 'pipeline-reference',
    async embedDocuments(texts) {
      const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
      const vectors = new Array<Float32Array>(texts.length);
      for (let start = 0; start < order.length; start += 16) {
        const batch = order.slice(start, start + 16);
        const output = await extractor(
          batch.map((index) => texts[index]!.slice(0, 2000)),
          { pooling: 'cls', normalize: true },
        );
        output.tolist().forEach((row, i) => (vectors[batch[i]!] = Float32Array.from(row)));
      }
      return vectors;
    },
    embedQuery: async () => {
      throw new Error('the reference embeds documents only');
    },
    close: async () => undefined,
  };
}
