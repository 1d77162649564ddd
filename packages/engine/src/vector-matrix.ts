/** Unit vectors of many chunks in one flat array, searched exactly by dot product. */
export interface VectorMatrix {
  readonly size: number;
  readonly dimensions: number;
  /** The `limit` best rows for a unit query vector, as chunk rowids with cosine similarity. */
  nearest(query: Float32Array, limit: number): { rowid: number; similarity: number }[];
}

/** Builds an exact-search matrix from rowids and their vectors. */
export function createVectorMatrix(rowids: readonly number[], vectors: readonly Float32Array[]): VectorMatrix {
  const dimensions = vectors[0]?.length ?? 0;
  const data = new Float32Array(rowids.length * dimensions);
  vectors.forEach((vector, row) => data.set(vector, row * dimensions));
  return {
    size: rowids.length,
    dimensions,
    nearest(query, limit) {
      if (query.length !== dimensions || rowids.length === 0) return [];
      const scores = new Float32Array(rowids.length);
      for (let row = 0; row < rowids.length; row += 1) {
        let dot = 0;
        const offset = row * dimensions;
        for (let i = 0; i < dimensions; i += 1) dot += data[offset + i]! * query[i]!;
        scores[row] = dot;
      }
      return topRows(scores, limit).map((row) => ({ rowid: rowids[row]!, similarity: scores[row]! }));
    },
  };
}

function topRows(scores: Float32Array, limit: number): number[] {
  const order = Array.from({ length: scores.length }, (_, row) => row);
  if (order.length > limit * 8) {
    const threshold = [...scores].sort((a, b) => b - a)[limit - 1] ?? -Infinity;
    return order
      .filter((row) => scores[row]! >= threshold)
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, limit);
  }
  return order.sort((a, b) => scores[b]! - scores[a]!).slice(0, limit);
}

/** Searches several matrices as one: each answers, the best overall win. */
export function combineMatrices(matrices: readonly VectorMatrix[]): VectorMatrix {
  if (matrices.length === 1) return matrices[0]!;
  return {
    size: matrices.reduce((sum, matrix) => sum + matrix.size, 0),
    dimensions: matrices.find((matrix) => matrix.size > 0)?.dimensions ?? 0,
    nearest: (query, limit) =>
      matrices
        .flatMap((matrix) => matrix.nearest(query, limit))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, limit),
  };
}
