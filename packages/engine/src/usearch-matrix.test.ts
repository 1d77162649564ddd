import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { annFile, buildAnnIndex, loadAnnIndex } from './usearch-matrix.js';
import { createVectorMatrix } from './vector-matrix.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-ann-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function unitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: dimensions }, random);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

describe('HNSW index (usearch)', () => {
  const rowids = Array.from({ length: 3000 }, (_, i) => 10_000 + i * 3);
  const vectors = unitVectors(rowids.length, 64, 7);

  it('finds nearly the same neighbours as exact search, from a saved file', () => {
    const path = annFile(scratch, 1, 5, 'model');
    buildAnnIndex(path, rowids, vectors);
    const ann = loadAnnIndex(path)!;
    const exact = createVectorMatrix(rowids, vectors);
    let overlap = 0;
    for (const query of unitVectors(20, 64, 99)) {
      const approximate = new Set(ann.nearest(query, 10).map((hit) => hit.rowid));
      const truth = exact.nearest(query, 10);
      overlap += truth.filter((hit) => approximate.has(hit.rowid)).length;
      const [first] = ann.nearest(query, 1);
      expect(first!.similarity).toBeLessThanOrEqual(truth[0]!.similarity + 1e-5);
    }
    expect(overlap / 200).toBeGreaterThan(0.9);
    expect(ann.size).toBe(3000);
  });

  it('returns the stored rowid and similarity 1 for a stored vector', () => {
    const path = annFile(scratch, 2, 1, 'model');
    buildAnnIndex(path, rowids, vectors);
    const [hit] = loadAnnIndex(path)!.nearest(vectors[42]!, 1);
    expect(hit!.rowid).toBe(rowids[42]);
    expect(hit!.similarity).toBeCloseTo(1, 4);
  });

  it('replaces the index of an older generation of the same repository', () => {
    const older = annFile(scratch, 3, 1, 'model');
    const newer = annFile(scratch, 3, 2, 'model');
    buildAnnIndex(older, rowids.slice(0, 10), vectors.slice(0, 10));
    buildAnnIndex(newer, rowids.slice(0, 10), vectors.slice(0, 10));
    expect(existsSync(older)).toBe(false);
    expect(existsSync(newer)).toBe(true);
    expect(loadAnnIndex(annFile(scratch, 3, 9, 'model'))).toBeNull();
  });
});
