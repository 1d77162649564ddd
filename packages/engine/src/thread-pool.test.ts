import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createThreadPool } from './thread-pool.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-thread-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a worker module and returns its path. */
function workerScript(name: string, source: string): string {
  const path = join(scratch, name);
  writeFileSync(path, source);
  return path;
}

const doubler = workerScript(
  'doubler.mjs',
  `
export default function (task) {
  if (task === 'die') process.exit(3);
  return task * 2;
}
`,
);
const broken = workerScript('broken.mjs', `throw new Error('cannot start'); export default () => 0;`);

describe('the thread pool', () => {
  it('runs tasks on its threads', async () => {
    const pool = createThreadPool<number, number>({ script: doubler, threads: 2 });
    await expect(Promise.all([1, 2, 3, 4, 5].map((task) => pool.run(task)))).resolves.toEqual([2, 4, 6, 8, 10]);
    await pool.close();
  });

  it('fails only the task of a thread that dies, and replaces the thread', async () => {
    const pool = createThreadPool<number | 'die', number>({ script: doubler, threads: 1 });
    await expect(pool.run(1)).resolves.toBe(2);
    await expect(pool.run('die')).rejects.toThrow(/exited with code: 3/);
    await expect(pool.run(4)).resolves.toBe(8);
    expect(pool.threads).toBe(1);
    expect(pool.stopped).toBe(false);
    await pool.close();
  });

  it('stops, failing every task at once, when its threads die while starting', async () => {
    const pool = createThreadPool<number, number>({ script: broken, threads: 2 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((task) => pool.run(task)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    // why: threads that died while starting are not started again; a later task must not wait for one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pool.stopped).toBe(true);
    await expect(pool.run(5)).rejects.toThrow();
    await pool.close();
  });
});
