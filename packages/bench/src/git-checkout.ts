import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const git = (args: string[], cwd?: string): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  }).trim();

/** Commit time (seconds) of a commit in a git directory. */
export function commitTime(gitDir: string, commit: string): number {
  return Number(git(['--git-dir', gitDir, 'show', '-s', '--format=%ct', commit]));
}

/**
 * Puts a detached work tree of `gitDir` at `commit` in `dir`, reusing it so only changed files are rewritten.
 * Snapshot mirrors lack some large blobs, which makes git refuse to switch; then the index is set to the
 * commit and every file it can read is written, the missing ones reported and left out.
 */
export function checkoutAt(gitDir: string, dir: string, commit: string): void {
  if (!existsSync(dir))
    git(['--git-dir', gitDir, 'worktree', 'add', '--no-checkout', '--force', '--detach', dir, commit]);
  try {
    git(['checkout', '--quiet', '--force', '--detach', commit], dir);
  } catch {
    git(['update-ref', '--no-deref', 'HEAD', commit], dir);
    git(['read-tree', 'HEAD'], dir);
    try {
      git(['checkout-index', '--all', '--force'], dir);
    } catch {
      // why: checkout-index writes every readable file and fails only for the missing blobs.
    }
  }
  git(['clean', '--quiet', '-fdx'], dir);
}
