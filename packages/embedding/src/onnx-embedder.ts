import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConexusError } from '@conexus/kernel';
import type { Embedder } from './embedder.js';

/** Settings of a local ONNX model run by transformers.js: a model directory or a hub id. */
export interface OnnxEmbedderOptions {
  /** A directory with config.json, tokenizer.json and onnx/model.onnx, or a hub id such as `Xenova/bge-small-en-v1.5`. */
  readonly model: string;
  readonly pooling?: 'mean' | 'cls';
  readonly quantized?: boolean;
  readonly queryPrefix?: string;
  readonly documentPrefix?: string;
  readonly batchSize?: number;
  readonly maxChars?: number;
}

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;

/** Loads a local ONNX embedding model; fails with a clear error when the model cannot be found. */
export async function createOnnxEmbedder(options: OnnxEmbedderOptions): Promise<Embedder> {
  const transformers = await import('@huggingface/transformers');
  const isDirectory = existsSync(options.model);
  // why: on two cores the int8 model embeds about 1.6x faster at nearly the same vectors; prefer it when shipped.
  const quantized =
    options.quantized ?? (isDirectory && existsSync(join(options.model, 'onnx', 'model_quantized.onnx')));
  const modelId = isDirectory ? basename(resolve(options.model)) : options.model;
  if (isDirectory) {
    transformers.env.localModelPath = dirname(resolve(options.model));
    transformers.env.allowRemoteModels = false;
  }
  transformers.env.allowLocalModels = true;
  let extractor: FeatureExtractor;
  try {
    extractor = await transformers.pipeline('feature-extraction', modelId, {
      dtype: quantized ? 'q8' : 'fp32',
      device: 'cpu',
    });
  } catch (error) {
    throw new ConexusError(
      'unavailable',
      `cannot load embedding model "${options.model}": ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const pooling = options.pooling ?? 'mean';
  const batchSize = options.batchSize ?? 16;
  const maxChars = options.maxChars ?? 2000;
  const run = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const output = await extractor(
      texts.map((text) => text.slice(0, maxChars)),
      { pooling, normalize: true },
    );
    return output.tolist().map((row) => Float32Array.from(row));
  };
  return {
    id: `onnx:${isDirectory ? resolve(options.model) : options.model}${quantized ? '#q8' : ''}`,
    async embedDocuments(texts) {
      // why: a batch is padded to its longest text; batching texts of similar length wastes far less work.
      const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
      const vectors = new Array<Float32Array>(texts.length);
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        const embedded = await run(batch.map((index) => (options.documentPrefix ?? '') + texts[index]!));
        batch.forEach((index, i) => (vectors[index] = embedded[i]!));
      }
      return vectors;
    },
    async embedQuery(text) {
      const [vector] = await run([(options.queryPrefix ?? '') + text]);
      return vector!;
    },
    close: async () => undefined,
  };
}
