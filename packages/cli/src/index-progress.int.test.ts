import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

// why: these tests drive the built `conexus` binary as users do; `npm test` builds it first.
const here = dirname(fileURLToPath(import.meta.url));
const bin = join(resolve(here, '../../..'), 'packages/cli/dist/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-progress-'));
const model = join(homedir(), '.cache/conexus/models/bge-small-en-v1.5');
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

/** A TypeScript repository of `dirs` × 100 files of 12 functions each. */
function generateRepo(name: string, dirs: number): string {
  const root = join(scratch, name);
  for (let dir = 0; dir < dirs; dir += 1) {
    mkdirSync(join(root, `pkg${dir}`), { recursive: true });
    for (let file = 0; file < 100; file += 1) {
      const functions = Array.from(
        { length: 12 },
        (_, fn) =>
          `/** Scales by ${fn}. */\nexport function f${dir}_${file}_${fn}(x: number) {\n  return x * ${fn} + ${file};\n}\n`,
      );
      writeFileSync(join(root, `pkg${dir}`, `m${file}.ts`), functions.join('\n'));
    }
  }
  return root;
}

let big: string;
let small: string;
beforeAll(() => {
  // Big enough that indexing takes several seconds, so that a stop lands mid-run.
  big = generateRepo('big', 80);
  small = generateRepo('small', 3);
});

/** Starts `conexus serve`, sends SIGINT at the first stderr line matching `at` (after `delayMs`), and times the exit. */
async function interruptServe(args: string[], at: RegExp, delayMs: number) {
  const dataDir = mkdtempSync(join(scratch, 'data-'));
  const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dataDir, '--port', '0', '--no-watch', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let signalled = 0;
  const exited = new Promise<{ code: number | null; stopMs: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stopMs: performance.now() - signalled })),
  );
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr += text;
    if (signalled || !at.test(stderr)) return;
    signalled = -1;
    setTimeout(() => {
      signalled = performance.now();
      child.kill('SIGINT');
    }, delayMs);
  });
  const exit = await exited;
  return { ...exit, stderr };
}

describe('conexus index --json', () => {
  it('writes JSON progress events on stderr and one JSON summary, with no promise in it, on stdout', () => {
    const run = spawnSync(process.execPath, [bin, 'index', small, '--json', '--embedder', 'none'], {
      encoding: 'utf8',
      env: { ...process.env, CONEXUS_DATA_DIR: join(scratch, 'data-index') },
      timeout: 120_000,
    });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ repo: 'small', filesIndexed: 300, dense: null });
    const events = run.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; phase: string; done: number; total: number });
    for (const event of events) {
      expect(event).toMatchObject({ event: 'progress', repo: 'small', phase: 'indexing' });
      expect(event.done).toBeLessThanOrEqual(event.total);
    }
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)!.done).toBe(events.at(-1)!.total);
    const done = events.map((event) => event.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });
});

describe('conexus serve stops within 2 s of Ctrl-C', () => {
  it('while it indexes, and says it is stopping', async () => {
    const run = await interruptServe(['--index', big, '--embedder', 'none'], /^indexing big$/m, 1_000);
    expect(run.stderr).toContain('conexus: stopping');
    expect(run.stderr).not.toContain('did not stop cleanly');
    expect(run.stopMs).toBeLessThan(2_000);
    expect(run.code).toBe(0);
  });

  const withModel = existsSync(model) ? it : it.skip;
  if (!existsSync(model))
    process.stderr.write(
      `skipping the embedding stop test: no model at ${model} (conexus downloads it on first use)\n`,
    );
  withModel('while it embeds in the background, once the lexical snapshot is searchable', async () => {
    const run = await interruptServe(['--index', small, '--embedder', model], /searchable now|^indexed small/m, 500);
    expect(run.stderr).toContain('conexus: stopping');
    expect(run.stopMs).toBeLessThan(2_000);
    expect(run.code).toBe(0);
  });
});
