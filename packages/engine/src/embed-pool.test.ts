import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Embedder } from '@conexus/embedding';
import { createEmbedPool } from './embed-pool.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-embed-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A worker module with embed-worker's shape: one vector per text, its length; the text 'die' ends the thread, and
// 'die once' ends only the first thread that sees it (a marker file remembers), as a crash that a retry survives.
const script = join(scratch, 'lengths.mjs');
writeFileSync(
  script,
  `
import { existsSync, writeFileSync } from 'node:fs';
import { threadId, workerData } from 'node:worker_threads';
const marker = ${JSON.stringify(join(scratch, 'died-once'))};
export default function (texts) {
  if (texts.includes('die')) process.exit(3);
  if (texts.includes('die once') && !existsSync(marker)) { writeFileSync(marker, ''); process.exit(4); }
  return texts.map((text) => Float32Array.of(text.length, threadId, workerData.threads));
}
`,
);

/** An embedder whose id says it runs a local model, so the pool takes it to its threads. */
const local: Embedder = {
  id: 'onnx:/models/test',
  embedDocuments: async () => {
    throw new Error('documents must be embedded on a pool thread');
  },
  embedQuery: async () => Float32Array.of(0),
  close: async () => undefined,
};

describe('the embedding pool', () => {
  it('embeds on a thread started on first use, with the ONNX threads it was given', async () => {
    const pool = createEmbedPool(local, { script, threads: 3 });
    expect(pool.threaded).toBe(true);
    const vectors = await pool.embedDocuments(['ab', 'abcd']);
    expect(vectors.map((vector) => vector[0])).toEqual([2, 4]);
    expect(vectors[0]![1]).toBeGreaterThan(0);
    expect(vectors[0]![2]).toBe(3);
    await pool.close();
  });

  it('replaces a thread that dies and tries its batch once more there', async () => {
    const pool = createEmbedPool(local, { script });
    const [first] = await pool.embedDocuments(['x']);
    const [again] = await pool.embedDocuments(['die once']);
    expect(again![0]).toBe(8);
    expect(again![1]).not.toBe(first![1]);
    await expect(pool.embedDocuments(['die'])).rejects.toMatchObject({ code: 'internal' });
    await expect(pool.embedDocuments(['still here'])).resolves.toHaveLength(1);
    await pool.close();
  });

  it('refuses a batch once its signal has aborted, and every batch once closed', async () => {
    const pool = createEmbedPool(local, { script });
    const stop = new AbortController();
    stop.abort();
    await expect(pool.embedDocuments(['x'], stop.signal)).rejects.toThrow();
    await pool.close();
    await expect(pool.embedDocuments(['x'])).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('embeds on the calling thread for an embedder that is not a local model', async () => {
    const remote: Embedder = {
      ...local,
      id: 'openai:m@http://localhost',
      embedDocuments: async (t) => t.map(() => Float32Array.of(1)),
    };
    const pool = createEmbedPool(remote, { script });
    expect(pool.threaded).toBe(false);
    await expect(pool.embedDocuments(['a', 'b'])).resolves.toHaveLength(2);
  });
});
