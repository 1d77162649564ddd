import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from '@conexus/chunking';
import { ConexusError } from '@conexus/kernel';
import { shardOf } from '@conexus/sharding';
import { createShardedEngine } from './create-sharded-engine.js';
import { existingShards } from './shard-layout.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-sharded-'));
let chunker: Chunker;
beforeAll(async () => {
  chunker = await createChunker();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

function gitRepo(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: root });
  return root;
}

// why: two names that hash to different shards of 16, so the test really crosses shards.
const [first, second] = ['billing', 'payments', 'ledger', 'invoices'].filter(
  (name, index, all) => all.findIndex((other) => shardOf(other, 16) === shardOf(name, 16)) === index,
);

describe('sharded engine', () => {
  const dataDir = join(scratch, 'data');

  it('stores each repository in its own shard and searches across them', async () => {
    const engine = createShardedEngine({ dataDir, chunker });
    try {
      await engine.index(gitRepo(first!, { 'tax.py': 'def compute_vat(amount):\n    return amount * 0.2\n' }));
      await engine.index(
        gitRepo(second!, {
          'vat.go': 'package vat\n\nfunc ComputeVat(amount float64) float64 {\n\treturn amount * 0.2\n}\n',
        }),
      );
      expect(existingShards(dataDir)).toEqual([shardOf(first!, 16), shardOf(second!, 16)].sort((a, b) => a - b));
      expect(engine.repos().map((repo) => repo.name)).toEqual([first, second].sort());

      const all = await engine.search({ query: 'compute vat amount', unit: 'file' });
      expect(new Set(all.results.map((result) => result.repo))).toEqual(new Set([first, second]));
      const scores = all.results.map((result) => result.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));

      const one = await engine.search({ query: 'compute vat amount', repos: [second!] });
      expect(one.results.every((result) => result.repo === second)).toBe(true);
      await expect(engine.search({ query: 'vat', repos: ['ghost'] })).rejects.toMatchObject({ code: 'not_found' });
      expect(engine.remove(second!)).toBe(true);
      expect(engine.remove('ghost')).toBe(false);
    } finally {
      await engine.close();
    }
  });

  it('refuses a data directory laid out with another shard count', () => {
    expect(() => createShardedEngine({ dataDir, chunker, shardCount: 4 })).toThrow(ConexusError);
  });

  it('says when nothing is indexed', async () => {
    const engine = createShardedEngine({ dataDir: join(scratch, 'empty'), chunker });
    await expect(engine.search({ query: 'anything' })).rejects.toMatchObject({ code: 'failed_precondition' });
    await engine.close();
  });
});

describe('reads during an index run', () => {
  it('never see the snapshot that is still being written', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`m${i}.py`] = `def handler_${i}(value):\n    return value * ${i}\n`;
    const root = gitRepo('inflight', files);
    const engine = createShardedEngine({ dataDir: join(scratch, 'data-inflight'), chunker });
    try {
      let finished = false;
      const running = engine.index(root).then(() => (finished = true));
      let observedMidRun = 0;
      while (!finished) {
        await new Promise((resolve) => setImmediate(resolve));
        if (finished) break;
        observedMidRun += 1;
        expect(engine.repos().map((repo) => repo.name)).not.toContain('inflight');
      }
      await running;
      expect(observedMidRun).toBeGreaterThan(0);
      expect(engine.repos().map((repo) => repo.name)).toContain('inflight');
    } finally {
      await engine.close();
    }
  });
});
