import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { fetchGitSource } from './fetch-git-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-fetch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const policy = { schemes: ['file'] as const, hosts: [] };
const limits = { timeoutMs: 30_000, maxBytes: 50 * 1024 * 1024 };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    encoding: 'utf8',
  });

function remote(name: string, files: Record<string, string>): string {
  const work = join(scratch, `${name}-work`);
  mkdirSync(work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  for (const [path, content] of Object.entries(files)) writeFileSync(join(work, path), content);
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'first');
  const bare = join(scratch, `${name}.git`);
  git(scratch, 'clone', '-q', '--bare', work, bare);
  return bare;
}

it('clones shallowly, then fetches the new head into the same checkout', async () => {
  const bare = remote('app', { 'a.py': 'print(1)\n' });
  const checkout = join(scratch, 'checkouts', 'app');
  await fetchGitSource(`file://${bare}`, '', checkout, { ...policy, schemes: ['file'] }, limits, () => {});
  expect(readFileSync(join(checkout, 'a.py'), 'utf8')).toBe('print(1)\n');
  const work = join(scratch, 'app-work');
  writeFileSync(join(work, 'a.py'), 'print(2)\n');
  git(work, 'commit', '-qam', 'second');
  git(work, 'push', '-q', bare, 'main');
  await fetchGitSource(`file://${bare}`, 'main', checkout, { ...policy, schemes: ['file'] }, limits, () => {});
  expect(readFileSync(join(checkout, 'a.py'), 'utf8')).toBe('print(2)\n');
  expect(git(checkout, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
});

it('does not fetch submodules', async () => {
  const inner = remote('inner', { 'secret.txt': 'inner\n' });
  const work = join(scratch, 'outer-work');
  mkdirSync(work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  writeFileSync(join(work, 'main.py'), 'x = 1\n');
  git(work, 'submodule', 'add', '-q', `file://${inner}`, 'vendor/inner');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'with submodule');
  const bare = join(scratch, 'outer.git');
  git(scratch, 'clone', '-q', '--bare', work, bare);
  const checkout = join(scratch, 'checkouts', 'outer');
  await fetchGitSource(`file://${bare}`, '', checkout, { ...policy, schemes: ['file'] }, limits, () => {});
  expect(existsSync(join(checkout, 'main.py'))).toBe(true);
  expect(existsSync(join(checkout, 'vendor', 'inner', 'secret.txt'))).toBe(false);
});

it('stops a clone that grows past the size cap and leaves nothing behind', async () => {
  const big = Array.from({ length: 40 }, (_, i) => [
    `blob-${i}.bin`,
    execFileSync('head', ['-c', '200000', '/dev/urandom']).toString('base64'),
  ]);
  const bare = remote('big', Object.fromEntries(big));
  const checkout = join(scratch, 'checkouts', 'big');
  await expect(
    fetchGitSource(
      `file://${bare}`,
      '',
      checkout,
      { ...policy, schemes: ['file'] },
      { timeoutMs: 30_000, maxBytes: 100_000 },
      () => {},
    ),
  ).rejects.toMatchObject({ code: 'resource_exhausted' });
  expect(existsSync(checkout)).toBe(false);
});

it('refuses a URL outside the policy before running git', async () => {
  await expect(
    fetchGitSource(
      '--upload-pack=touch /tmp/conexus-pwned',
      '',
      join(scratch, 'x'),
      { ...policy, schemes: ['file'] },
      limits,
      () => {},
    ),
  ).rejects.toMatchObject({ code: 'invalid_argument' });
  expect(existsSync('/tmp/conexus-pwned')).toBe(false);
});
