import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from '@conexus/chunking';
import { DEFAULT_MODEL, modelsDir, openEmbedder, type Embedder } from '@conexus/embedding';
import { createEngine, type Engine } from './create-engine.js';
import { createEmbedPool, type EmbedPool } from './embed-pool.js';
import type { IndexProgress } from './index-progress.js';

// why: the dense phase runs the real model on a real worker thread; `.ci/run` installs the model, `tsc -b` the worker.
const modelDir = join(modelsDir(process.env), DEFAULT_MODEL);
const haveModel = existsSync(join(modelDir, 'config.json'));
if (!haveModel) process.stderr.write(`dense phase tests skipped: no model at ${modelDir} (run npm run model:fetch)\n`);
const describeWithModel = haveModel ? describe : describe.skip;
const worker = fileURLToPath(new URL('../dist/embed-worker.js', import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), 'conexus-dense-'));
let chunker: Chunker;
let embedder: Embedder;
beforeAll(async () => {
  chunker = await createChunker();
  if (haveModel) embedder = (await openEmbedder(modelDir, process.env))!;
});
const pools: EmbedPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  await embedder?.close();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

/** A folder of `count` small functions plus one that reads a file line by line, in words no query below uses. */
function project(name: string, count: number): string {
  const root = join(scratch, name);
  const files: Record<string, string> = {
    'io/reader.py':
      'def read_lines(path):\n    with open(path) as handle:\n        for line in handle:\n            yield line\n',
  };
  for (let n = 0; n < count; n += 1) files[`gen/module_${n}.py`] = `def compute_${n}(a, b):\n    return a * ${n} + b\n`;
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function openEngine(dataDir: string): Engine {
  expect(existsSync(worker)).toBe(true);
  // why: an engine closes its embedder; the tests share one model (for queries), so each engine gets a view of it.
  const shared: Embedder = { ...embedder, close: async () => undefined };
  const embedPool = createEmbedPool(shared, { script: worker });
  pools.push(embedPool);
  return createEngine({ dataDir, chunker, embedder: shared, embedPool });
}

const QUESTION = 'iterate over each row of a text document';
const finds = async (engine: Engine): Promise<boolean> =>
  (await engine.search({ query: QUESTION, top: 3 })).results.some((hit) => hit.path === 'io/reader.py');

describeWithModel('the dense phase', () => {
  it('runs after index resolves: searchable lexically at once, its vectors joining ranking when all are in', async () => {
    const engine = openEngine(join(scratch, 'data-1'));
    const seen: IndexProgress[] = [];
    const summary = await engine.index(project('lexical-first', 120), 'app', { onProgress: (p) => seen.push(p) });
    const phasesAtCommit = seen.map((progress) => progress.phase);
    expect(phasesAtCommit).toContain('indexing');
    expect(engine.repoRows()[0]!.embedder).toBeNull();
    expect((await engine.search({ query: 'compute_42', top: 1 })).results[0]?.path).toBe('gen/module_42.py');
    expect(await finds(engine)).toBe(false);

    const dense = await summary.dense!;
    expect(dense).toMatchObject({ complete: true, embedded: 121 });
    expect(seen.at(-1)).toMatchObject({ phase: 'embedding', done: 121, total: 121 });
    expect(engine.repoRows()[0]!.embedder).toBe(embedder.id);
    expect(await finds(engine)).toBe(true);

    // A new run whose chunks are all cached records the embedder at its commit; nothing is embedded again.
    const again = await engine.index(join(scratch, 'lexical-first'), 'app');
    expect(engine.repoRows()[0]!.embedder).toBe(embedder.id);
    await expect(again.dense).resolves.toMatchObject({ complete: true, embedded: 0 });

    // A save re-indexes a densely searched repository: it stays dense while the new chunk's vector is computed.
    writeFileSync(join(scratch, 'lexical-first/gen/saved.py'), 'def saved_helper():\n    return 7\n');
    const saved = await engine.index(join(scratch, 'lexical-first'), 'app');
    expect(engine.repoRows()[0]!.embedder).toBe(embedder.id);
    expect(await finds(engine)).toBe(true);
    await expect(saved.dense).resolves.toMatchObject({ complete: true, embedded: 1 });
    await engine.close();
  });

  it('is replaced by the next index run of the same repository', async () => {
    const engine = openEngine(join(scratch, 'data-2'));
    const root = project('superseded', 150);
    const first = await engine.index(root, 'app');
    writeFileSync(join(root, 'gen/extra.py'), 'def extra():\n    return 1\n');
    const second = await engine.index(root, 'app');
    await expect(first.dense).resolves.toMatchObject({ complete: false });
    await expect(second.dense).resolves.toMatchObject({ complete: true });
    expect(engine.repoRows()[0]!.embedder).toBe(embedder.id);
    await engine.close();
  });

  it('stops within 2 s when the engine closes while embedding, keeping the snapshot and the vectors made', async () => {
    const dataDir = join(scratch, 'data-3');
    const engine = openEngine(dataDir);
    let embedding!: () => void;
    const started = new Promise<void>((resolve) => (embedding = resolve));
    const summary = await engine.index(project('closed', 300), 'app', {
      onProgress: (progress) => progress.phase === 'embedding' && progress.done > 0 && embedding(),
    });
    await started;
    const closing = performance.now();
    await engine.close();
    expect(performance.now() - closing).toBeLessThan(2_000);
    const dense = await summary.dense!;
    expect(dense.complete).toBe(false);
    expect(dense.embedded).toBeGreaterThan(0);

    const reopened = openEngine(dataDir);
    expect(reopened.repoRows()[0]).toMatchObject({ name: 'app', embedder: null });
    const resumed = await reopened.index(join(scratch, 'closed'), 'app');
    await expect(resumed.dense).resolves.toMatchObject({ complete: true, embedded: 301 - dense.embedded });
    await reopened.close();
  });
});
