import { normalize } from './embedder.js';

/** How token states become one vector: the first ([CLS]) token's, or the mean over the real tokens. */
export type Pooling = 'mean' | 'cls';

/**
 * Pools a model's last hidden states, laid out [texts, width, dims] with each text's `lengths[i]` real
 * tokens first and padding after, into one unit-length vector per text.
 */
export function poolHiddenStates(
  hidden: Float32Array,
  width: number,
  lengths: readonly number[],
  pooling: Pooling,
): Float32Array[] {
  const dims = hidden.length / (lengths.length * width);
  return lengths.map((length, text) => {
    const start = text * width * dims;
    if (pooling === 'cls') return normalize(hidden.slice(start, start + dims));
    const sum = new Float32Array(dims);
    // why: padding tokens carry states too; averaging only the real ones keeps a vector independent of its batch.
    for (let token = 0; token < length; token += 1)
      for (let d = 0; d < dims; d += 1) sum[d] = sum[d]! + hidden[start + token * dims + d]!;
    return normalize(sum.map((value) => value / length));
  });
}
