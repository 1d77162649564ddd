import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import usearch from 'usearch';
import type { VectorMatrix } from './vector-matrix.js';

/** Where the HNSW index of one repository generation and model lives in a data directory. */
export function annFile(dataDir: string, repoId: number, generation: number, modelKey: string): string {
  return join(dataDir, 'ann', `${repoId}-${modelKey}-${generation}.usearch`);
}

/** Builds and saves an HNSW index (inner product on unit vectors), removing older ones of the same repository. */
export function buildAnnIndex(path: string, rowids: readonly number[], vectors: readonly Float32Array[]): void {
  const dimensions = vectors[0]?.length ?? 0;
  const index = createIndex(dimensions);
  const flat = new Float32Array(rowids.length * dimensions);
  vectors.forEach((vector, row) => flat.set(vector, row * dimensions));
  index.add(
    BigUint64Array.from(rowids, (rowid) => BigInt(rowid)),
    flat,
  );
  const directory = join(path, '..');
  mkdirSync(directory, { recursive: true });
  const prefix = path
    .split('/')
    .pop()!
    .replace(/-\d+\.usearch$/, '-');
  for (const name of readdirSync(directory))
    if (name.startsWith(prefix)) rmSync(join(directory, name), { force: true });
  // why: search threads look for the file while it is written; a rename shows it whole or not at all.
  index.save(`${path}.partial`);
  renameSync(`${path}.partial`, path);
}

/** Opens a saved HNSW index as a matrix of approximate nearest neighbours; null when there is none. */
export function loadAnnIndex(path: string): VectorMatrix | null {
  if (!existsSync(path)) return null;
  let index: InstanceType<typeof usearch.Index> | null = null;
  // why: the index is loaded on the first query, whose length gives the dimensions it was built with.
  const open = (dimensions: number): InstanceType<typeof usearch.Index> => {
    if (!index) {
      index = createIndex(dimensions);
      index.load(path);
    }
    return index;
  };
  return {
    get size() {
      return index?.size() ?? 0;
    },
    get dimensions() {
      return index ? Number(index.dimensions()) : 0;
    },
    nearest(query, limit) {
      const loaded = open(query.length);
      if (loaded.size() === 0) return [];
      const matches = loaded.search(query, Math.min(limit, loaded.size()), 0);
      // why: usearch reports inner-product distance as 1 - dot; turn it back into cosine similarity.
      return Array.from(matches.keys, (key, i) => ({ rowid: Number(key), similarity: 1 - matches.distances[i]! }));
    },
  };
}

function createIndex(dimensions: number): InstanceType<typeof usearch.Index> {
  return new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.IP,
    quantization: usearch.ScalarKind.F32,
    connectivity: 16,
    expansion_add: 128,
    expansion_search: 64,
    multi: false,
  });
}
