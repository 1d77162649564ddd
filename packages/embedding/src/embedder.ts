/** Turns text into unit-length vectors; documents and queries may be embedded differently. */
export interface Embedder {
  /** Identifies the model and settings; the vector cache is keyed on it. */
  readonly id: string;
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
  close(): Promise<void>;
}

/** Scales a vector to unit length in place, so a dot product is the cosine. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < vector.length; i += 1) vector[i] = vector[i]! / norm;
  return vector;
}
