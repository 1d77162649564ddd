import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';

const run = promisify(execFile);
// why: a hostile repository's config must not make git run programs (fsmonitor) while we list it.
const SAFE_GIT = ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'safe.directory=*'];

/** The files a repository offers for indexing, and the commit it is at (null outside git). */
export interface RepoListing {
  readonly commit: string | null;
  readonly paths: readonly string[];
}

/** Lists tracked plus untracked-not-ignored files through git, or walks a plain folder honouring .gitignore. */
export async function listRepoFiles(root: string): Promise<RepoListing> {
  if (await isGitWorkTree(root)) {
    const { stdout } = await run('git', [...SAFE_GIT, '-C', root, 'ls-files', '-z', '-c', '-o', '--exclude-standard'], {
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'buffer',
    });
    const paths = [...new Set(stdout.toString('utf8').split('\0').filter((path) => path.length > 0))];
    return { commit: await headCommit(root), paths };
  }
  return { commit: null, paths: await walkPlainFolder(root) };
}

async function isGitWorkTree(root: string): Promise<boolean> {
  try {
    const { stdout } = await run('git', [...SAFE_GIT, '-C', root, 'rev-parse', '--is-inside-work-tree']);
    return stdout.trim() === 'true';
  } catch {
    return false;
  }
}

async function headCommit(root: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', [...SAFE_GIT, '-C', root, 'rev-parse', '--verify', '-q', 'HEAD']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

interface IgnoreScope {
  readonly prefix: string;
  readonly rules: Ignore;
}

async function walkPlainFolder(root: string): Promise<string[]> {
  const paths: string[] = [];
  const pending: { dir: string; scopes: IgnoreScope[] }[] = [{ dir: '', scopes: [] }];
  while (pending.length > 0) {
    const { dir, scopes: parentScopes } = pending.pop()!;
    const absolute = join(root, dir);
    const scopes = [...parentScopes];
    const gitignore = await readFile(join(absolute, '.gitignore'), 'utf8').catch(() => null);
    if (gitignore !== null) scopes.push({ prefix: dir, rules: ignore().add(gitignore) });
    const entries = await readdir(absolute, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.name === '.git') continue;
      const isDir = entry.isDirectory();
      if (isIgnored(scopes, isDir ? `${path}/` : path)) continue;
      if (isDir) pending.push({ dir: path, scopes });
      else paths.push(path);
    }
  }
  return paths.sort();
}

function isIgnored(scopes: readonly IgnoreScope[], path: string): boolean {
  return scopes.some(({ prefix, rules }) => {
    const relative = prefix ? path.slice(prefix.length + 1) : path;
    return relative.length > 0 && rules.ignores(relative);
  });
}
