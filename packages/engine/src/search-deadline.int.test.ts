import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { createEngine } from './create-engine.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-deadline-'));
let chunker: Chunker;
let repo: string;
beforeAll(async () => {
  chunker = await createChunker();
  repo = join(scratch, 'shop');
  mkdirSync(join(repo, 'shop'), { recursive: true });
  writeFileSync(
    join(repo, 'shop', 'cart.py'),
    'class Cart:\n    def total(self, items):\n        return sum(item.price for item in items)\n',
  );
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

/** An embedder that embeds documents at once and takes `queryMs` for a query, like a slow remote model. */
function slowQueries(queryMs: number): Embedder {
  const vector = () => new Float32Array([1, 0, 0, 0]);
  return {
    id: 'slow-queries',
    embedDocuments: async (texts) => texts.map(vector),
    embedQuery: () => new Promise((resolve) => setTimeout(() => resolve(vector()), queryMs)),
    close: async () => {},
  };
}

describe('engine search under a deadline', () => {
  it('refuses, deadline_exceeded, a search whose deadline has passed', async () => {
    const engine = createEngine({ dataDir: join(scratch, 'plain'), chunker });
    await engine.index(repo, 'shop');
    await expect(engine.search({ query: 'cart total', deadline: Date.now() + 5_000 })).resolves.toMatchObject({
      results: expect.arrayContaining([expect.objectContaining({ repo: 'shop' })]),
    });
    await expect(engine.search({ query: 'cart total', deadline: Date.now() - 1 })).rejects.toMatchObject({
      code: 'deadline_exceeded',
    });
    await engine.close();
  });

  it('answers deadline_exceeded at the deadline while the query embedding is still on its way', async () => {
    const engine = createEngine({ dataDir: join(scratch, 'dense'), chunker, embedder: slowQueries(3_000) });
    // why: the query is embedded only for a repository whose vectors are all in.
    const summary = await engine.index(repo, 'shop');
    await summary.dense;
    const started = Date.now();
    await expect(engine.search({ query: 'cart total', deadline: started + 200 })).rejects.toMatchObject({
      code: 'deadline_exceeded',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    await engine.close();
  });
});
