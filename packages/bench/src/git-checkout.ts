import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const git = (args: string[], cwd?: string): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).trim();

/** Commit time (seconds) of a commit in a git directory. */
export function commitTime(gitDir: string, commit: string): number {
  return Number(git(['--git-dir', gitDir, 'show', '-s', '--format=%ct', commit]));
}

/**
 * Puts a detached work tree of `gitDir` at `commit` in `dir`, reusing it so only changed files are rewritten.
 * Snapshot mirrors lack some large blobs: git then refuses to switch, so the work tree is recreated, which
 * writes every file it has and reports the missing ones.
 */
export function checkoutAt(gitDir: string, dir: string, commit: string): void {
  if (existsSync(dir)) {
    try {
      git(['checkout', '--quiet', '--force', '--detach', commit], dir);
      git(['clean', '--quiet', '-fdx'], dir);
      return;
    } catch {
      rmSync(dir, { recursive: true, force: true });
      git(['--git-dir', gitDir, 'worktree', 'prune']);
    }
  }
  try {
    git(['--git-dir', gitDir, 'worktree', 'add', '--force', '--detach', dir, commit]);
  } catch (error) {
    if (!existsSync(dir)) throw error;
  }
}
