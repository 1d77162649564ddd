import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker } from '@conexus/chunking';
import { shardOf } from '@conexus/sharding';
import { createShardedEngine, type ShardedEngine } from './create-sharded-engine.js';

// why: real repositories with real commit messages; they come from the benchmark mirrors (OWNER+NAME, bare or
// holding `repo`), which this suite needs and names when they are missing.
const MIRRORS = process.env['CONEXUS_BENCH_REPOS'] ?? resolve(import.meta.dirname, '../../../../.mirror');
const gitDirOf = (name: string): string | null => {
  const base = join(MIRRORS, name.replace('/', '+'));
  for (const dir of [join(base, 'repo'), base]) if (existsSync(join(dir, 'HEAD'))) return dir;
  return null;
};
const REPOS = {
  'psf/requests': '1f6589ec3a1ee910f9a65cc3ceac60b26677bc0e',
  'pallets/flask': '2ac89889f4cc330eabd50f295dcef02828522c69',
};
// Commits of each repository whose message, searched over both, once ranked the other repository's weak best hit
// first: the commit, and the files its change touched (the right answers).
const CASES: [repo: keyof typeof REPOS, commit: string, gold: string[]][] = [
  ['psf/requests', 'e511bc7277', ['src/requests/_types.py', 'src/requests/models.py', 'src/requests/sessions.py']],
  ['psf/requests', '86b378d3f6', ['src/requests/sessions.py']],
  ['psf/requests', '47914226c2', ['src/requests/utils.py']],
  ['psf/requests', '90fee0876a', ['src/requests/adapters.py']],
  ['pallets/flask', 'd8259eb119', ['src/flask/sansio/app.py', 'src/flask/templating.py']],
  ['pallets/flask', '410e5ab7ed', ['src/flask/typing.py']],
  ['pallets/flask', '4f7156f2c3', ['src/flask/app.py']],
  ['pallets/flask', 'd718ecf6d3', ['src/flask/app.py', 'src/flask/sansio/app.py']],
  ['pallets/flask', '1af8f95785', ['src/flask/cli.py']],
];
const available = Object.keys(REPOS).every((name) => gitDirOf(name) !== null);
// why: a skipped suite is easy to miss in a summary; say that it did not run and what it needs.
if (!available)
  process.stderr.write(
    `cross-repo ranking suite NOT RUN: no requests and flask mirrors in ${MIRRORS} (set CONEXUS_BENCH_REPOS)\n`,
  );
const git = (args: string[]): string => execFileSync('git', args, { encoding: 'utf8' }).trim();

(available ? describe : describe.skip)(`two real repositories in one data directory (mirrors in ${MIRRORS})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'conexus-cross-repo-'));
  let engine: ShardedEngine;
  beforeAll(async () => {
    engine = createShardedEngine({ dataDir: join(scratch, 'data'), chunker: await createChunker() });
    for (const [name, commit] of Object.entries(REPOS)) {
      const dir = join(scratch, name.replace('/', '+'));
      git(['clone', '--quiet', '--shared', '--no-checkout', gitDirOf(name)!, dir]);
      git(['-C', dir, 'checkout', '--quiet', '--detach', commit]);
      await engine.index(dir, name);
    }
  }, 300_000);
  afterAll(async () => {
    await engine?.close();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  });

  it('keeps the two repositories in different shards, so their scores come from different stores', () => {
    expect(shardOf('psf/requests', engine.shardCount)).not.toBe(shardOf('pallets/flask', engine.shardCount));
  });

  it.each(CASES)(
    '%s %s: the right file of the right repository ranks first when searching both',
    async (repo, commit, gold) => {
      const query = git(['--git-dir', gitDirOf(repo)!, 'show', '-s', '--format=%B', commit]);
      const { results } = await engine.search({ query, unit: 'file', top: 5 });
      expect(results[0]?.repo).toBe(repo);
      expect(gold).toContain(results[0]?.path);
    },
  );
});
