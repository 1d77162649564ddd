import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from '@conexus/chunking';
import { createEngine } from './create-engine.js';
import type { IndexProgress } from './index-progress.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-index-abort-'));
let chunker: Chunker;
beforeAll(async () => {
  chunker = await createChunker();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const many = (count: number): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length: count }, (_, n) => [
      `gen/module_${n}.py`,
      `def compute_${n}(a, b):\n    return a * ${n} + b\n`,
    ]),
  );

describe('stopping an index run', () => {
  it('rolls back an unfinished snapshot when its signal aborts between files, keeping the previous one', async () => {
    const root = join(scratch, 'repo');
    writeFiles(root, { 'app/ledger.py': 'def settle_ledger(entries):\n    return sum(entries)\n' });
    const engine = createEngine({ dataDir: join(scratch, 'data'), chunker });
    await engine.index(root, 'app');
    const before = engine.repos().find((repo) => repo.name === 'app')!;

    writeFiles(root, many(300));
    const stop = new AbortController();
    const seen: IndexProgress[] = [];
    const run = engine.index(root, 'app', {
      signal: stop.signal,
      onProgress(progress) {
        seen.push(progress);
        // why: progress comes at most every 500 ms, and first with the first file read: the stop lands mid-run.
        stop.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([{ repo: 'app', phase: 'indexing', done: 1, total: 301, perSecond: expect.any(Number) }]);

    const after = engine.repos().find((repo) => repo.name === 'app')!;
    expect(after).toMatchObject({ files: before.files, chunks: before.chunks, indexedAt: before.indexedAt });
    expect(engine.hasFile('app', 'gen/module_150.py')).toBe(false);
    expect((await engine.search({ query: 'compute_150', top: 3 })).results).toEqual([]);

    // The store is free again: the next run writes the whole snapshot and says so at its end.
    const last: IndexProgress[] = [];
    const summary = await engine.index(root, 'app', { onProgress: (progress) => last.push(progress) });
    expect(summary.filesIndexed).toBe(300);
    expect(last.at(-1)).toMatchObject({ phase: 'indexing', done: 301, total: 301 });
    expect(engine.hasFile('app', 'gen/module_150.py')).toBe(true);
    await engine.close();
  });

  it('refuses to index once closed', async () => {
    const engine = createEngine({ dataDir: join(scratch, 'data-closed'), chunker });
    await engine.close();
    await expect(engine.index(join(scratch, 'repo'), 'app')).rejects.toMatchObject({ code: 'cancelled' });
  });
});
