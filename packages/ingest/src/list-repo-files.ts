import { execFile } from 'node:child_process';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';

const execFileAsync = promisify(execFile);
// why: GIT_DIR and friends in the caller's environment would point git at another repository than `-C`.
const GIT_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !/^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|CEILING_DIRECTORIES|COMMON_DIR|NAMESPACE)$/.test(
        name,
      ),
  ),
);
const run = (file: string, args: string[], options: { maxBuffer?: number; encoding?: 'buffer' } = {}) =>
  execFileAsync(file, args, { ...options, env: GIT_ENV } as never) as unknown as Promise<{ stdout: Buffer | string }>;
// why: a hostile repository's config must not make git run programs (fsmonitor) while we list it.
const SAFE_GIT = ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'safe.directory=*'];

/** The files a repository offers for indexing, and the commit it is at (null outside git). */
export interface RepoListing {
  readonly commit: string | null;
  readonly paths: readonly string[];
}

/** Lists tracked plus untracked-not-ignored files through git, or walks a plain folder honouring .gitignore. */
export async function listRepoFiles(root: string): Promise<RepoListing> {
  if (await isGitTopLevel(root)) {
    const { stdout } = await run('git', [...SAFE_GIT, '-C', root, 'ls-files', '-z', '-c', '-o', '--exclude-standard'], {
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'buffer',
    });
    const paths: string[] = [];
    for (const path of new Set(stdout.toString('utf8').split('\0'))) {
      if (!path) continue;
      // why: git lists an untracked nested repository as one `dir/` entry; its files are walked instead.
      if (path.endsWith('/')) paths.push(...(await walkPlainFolder(join(root, path))).map((inner) => path + inner));
      else paths.push(path);
    }
    return { commit: await headCommit(root), paths };
  }
  return { commit: null, paths: await walkPlainFolder(root) };
}

/** Reads a small control file (.gitignore, .conexusignore) only if it is a regular file; null otherwise. */
export async function readRegularFile(path: string): Promise<string | null> {
  const stats = await lstat(path).catch(() => null);
  return stats?.isFile() ? readFile(path, 'utf8') : null;
}

// why: a folder inside someone else's work tree (a dotfiles repo ignoring `*`) is indexed as a plain folder.
async function isGitTopLevel(root: string): Promise<boolean> {
  try {
    const { stdout } = await run('git', [...SAFE_GIT, '-C', root, 'rev-parse', '--show-toplevel']);
    return (await realpath(stdout.toString().trim())) === (await realpath(root));
  } catch {
    return false;
  }
}

async function headCommit(root: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', [...SAFE_GIT, '-C', root, 'rev-parse', '--verify', '-q', 'HEAD']);
    return stdout.toString().trim() || null;
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
    const gitignore = await readRegularFile(join(absolute, '.gitignore'));
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
