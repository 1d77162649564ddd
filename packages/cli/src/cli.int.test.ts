import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

// why: these tests drive the built `conexus` binary as users do; `npm test` builds it first.
const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../../..');
const bin = join(projectRoot, 'packages/cli/dist/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

function conexus(args: string[], options: { input?: string; dataDir?: string } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, CONEXUS_DATA_DIR: options.dataDir ?? join(scratch, 'data'), CONEXUS_EMBEDDER: 'none' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function gitRepo(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'gc.auto=0', 'commit', '-qm', 'c'], {
    cwd: root,
  });
  return root;
}

describe('conexus CLI on the project’s own checkout', () => {
  it('indexes the checkout and answers questions about it', () => {
    const index = conexus(['index', projectRoot, '--repo', 'conexus', '--json']);
    expect(index.code).toBe(0);
    const summary = JSON.parse(index.stdout);
    expect(summary).toMatchObject({ repo: 'conexus' });
    expect(summary.filesIndexed).toBeGreaterThan(50);
    expect(summary.skipped.lockfile).toBeGreaterThanOrEqual(1);

    const search = conexus([
      'search',
      'where',
      'is',
      'the',
      'chunk',
      'id',
      'made',
      'deterministic',
      '--json',
      '--top',
      '5',
    ]);
    expect(search.code).toBe(0);
    const response = JSON.parse(search.stdout);
    expect(typeof response.tookMs).toBe('number');
    expect(response.results).toHaveLength(5);
    for (const result of response.results) {
      expect(Object.keys(result).sort()).toEqual([
        'endLine',
        'kind',
        'path',
        'repo',
        'score',
        'startLine',
        'symbol',
        'text',
      ]);
    }
    expect(response.results.slice(0, 3).map((r: { path: string }) => r.path)).toContain(
      'packages/engine/src/chunk-file.ts',
    );

    const files = JSON.parse(
      conexus(['search', '--query-file', '-', '--unit', 'file', '--json'], {
        input: 'BM25 full text search in SQLite FTS5',
      }).stdout,
    );
    expect(files.results[0].path).toBe('packages/store-sqlite/src/create-lexical-reader.ts');
    expect(files.results[0].text).toBeUndefined();

    const symbols = JSON.parse(
      conexus(['search', 'classifyPath vendored directories', '--unit', 'symbol', '--json']).stdout,
    );
    expect(symbols.results[0]).toMatchObject({
      path: 'packages/ingest/src/classify-path.ts',
      symbol: 'classifyPath',
      kind: 'function',
    });

    const human = conexus(['search', 'rendezvous', 'chunk', 'pool', 'worker', 'threads']);
    expect(human.stdout).toMatch(/packages\/engine\/src\/chunk-pool\.ts:\d+-\d+ {2}createChunkPool/);
  });
});

describe('conexus CLI repository management and errors', () => {
  const dataDir = join(scratch, 'data-manage');
  const repo = gitRepo('manage', { 'app/main.py': 'def greet(name):\n    return "hi " + name\n' });

  it('lists, reports and removes repositories', () => {
    expect(conexus(['index', repo, '--repo', 'demo'], { dataDir }).stdout).toMatch(
      /indexed demo at [0-9a-f]{12}\n {2}files: 1 seen, 1 indexed/,
    );
    expect(JSON.parse(conexus(['repos', '--json'], { dataDir }).stdout).repos[0]).toMatchObject({
      name: 'demo',
      files: 1,
    });
    expect(conexus(['status'], { dataDir }).stdout).toContain(`data directory: ${dataDir}`);
    expect(conexus(['remove', 'demo'], { dataDir }).stdout).toBe('removed demo\n');
    expect(conexus(['repos'], { dataDir }).stdout).toBe('no repositories indexed\n');
  });

  it.each([
    [['search', 'x', '--repo', 'nope'], /^conexus: unknown repository "nope"/],
    [['index', join(scratch, 'missing-dir')], /^conexus: no such directory/],
    [['search', 'x', '--unit', 'line'], /^conexus: --unit must be chunk, symbol or file/],
    [['search', 'x', '--frobnicate'], /^conexus: Unknown option '--frobnicate'/],
    [['status', '--top', '5'], /^conexus: `conexus status` does not take --top/],
    [['remove', 'ghost'], /^conexus: unknown repository "ghost"/],
    [['launch'], /^conexus: unknown command "launch"/],
  ])('prints one clear line and exits 2 for %j', (args, message) => {
    conexus(['index', repo, '--repo', 'demo'], { dataDir });
    const result = conexus(args, { dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unreadable store with one line', () => {
    const broken = join(scratch, 'broken');
    mkdirSync(join(broken, 'shards', '000'), { recursive: true });
    writeFileSync(join(broken, 'shards', '000', 'index.db'), 'this is not a database');
    const result = conexus(['repos'], { dataDir: broken });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^conexus: cannot open the store/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('answers questions piped to `ask`', () => {
    const result = conexus(['ask', repo, '--repo', 'asked'], { dataDir, input: 'greet a user by name\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/app\/main\.py:1-2 {2}greet/);
  });
});

describe('conexus CLI crash safety', () => {
  it('keeps the last snapshot searchable when `index` is killed mid-run', async () => {
    const dataDir = join(scratch, 'data-kill');
    const files: Record<string, string> = { 'core/anchor.py': 'def anchor_function():\n    return 42\n' };
    const root = gitRepo('kill', files);
    expect(conexus(['index', root, '--repo', 'kill'], { dataDir }).code).toBe(0);
    for (let i = 0; i < 6000; i += 1) {
      mkdirSync(join(root, 'bulk', String(i % 30)), { recursive: true });
      writeFileSync(
        join(root, 'bulk', String(i % 30), `m${i}.py`),
        `def generated_${i}(value):\n    return value * ${i}\n`,
      );
    }
    const child = spawn(process.execPath, [bin, 'index', root, '--repo', 'kill'], {
      env: { ...process.env, CONEXUS_DATA_DIR: dataDir, CONEXUS_EMBEDDER: 'none' },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.on('exit', (_code, killedBy) => done(killedBy)));
    await new Promise((done) => setTimeout(done, 700));
    child.kill('SIGKILL');
    // why: a run that finished before the kill would make this test prove nothing; it must die by the signal.
    expect(await exited).toBe('SIGKILL');

    const after = conexus(['search', 'anchor_function', '--unit', 'symbol', '--json'], { dataDir });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).results[0]).toMatchObject({ path: 'core/anchor.py', symbol: 'anchor_function' });
    const repos = JSON.parse(conexus(['repos', '--json'], { dataDir }).stdout).repos;
    expect([1, 6001]).toContain(repos[0].files);

    const resumed = JSON.parse(conexus(['index', root, '--repo', 'kill', '--json'], { dataDir }).stdout);
    expect(resumed.chunks).toBeGreaterThanOrEqual(6001);
    expect(JSON.parse(conexus(['repos', '--json'], { dataDir }).stdout).repos[0].files).toBe(6001);
  });
});
