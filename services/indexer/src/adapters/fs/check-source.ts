import { lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { RepoSource } from '@conexus/api';
import { ConexusError } from '@conexus/kernel';
import type { SourcePolicy } from '../../app/source-policy.js';
import { checkGitRef, checkGitUrl } from '../../domain/git-url-policy.js';
import { parseGitUrl, type GitUrl } from '../../domain/parse-git-url.js';
import type { CheckedSource } from '../../ports/source-access.js';

/**
 * Refuses a source before any job runs: a path (after realpath) outside the source roots, a git URL that is
 * malformed (invalid_argument) or outside the allowed schemes and hosts (permission_denied), a file:// URL outside
 * the roots (permission_denied), a bad ref. Synchronous and without DNS, so a gateway can call it on AddRepo.
 */
export function checkSource(source: RepoSource, policy: Pick<SourcePolicy, 'pathRoots' | 'git'>): void {
  checkedSource(source, policy);
}

/** Like checkSource, returning what was checked: the real directory, or the parsed URL git will be given. */
export function checkedSource(source: RepoSource, policy: Pick<SourcePolicy, 'pathRoots' | 'git'>): CheckedSource {
  const { source: which, ref } = source;
  if (which.case === 'path' && which.value)
    return { kind: 'path', directory: allowedPath(which.value, policy.pathRoots) };
  if (which.case !== 'gitUrl' || !which.value)
    throw new ConexusError('invalid_argument', 'a source (git_url or path) is required');
  const url = checkGitUrl(which.value, policy.git);
  if (ref) checkGitRef(ref);
  return { kind: 'git', url: url.scheme === 'file' ? allowedFileUrl(url, policy.pathRoots) : url, ref };
}

/** The real path of `path` if it lies under one of the roots; permission_denied otherwise, existing or not. */
export function allowedPath(path: string, roots: readonly string[]): string {
  const bases = roots.flatMap((root) => [resolve(root), ...realOrNone(root)]);
  const outside = (): ConexusError =>
    new ConexusError(
      'permission_denied',
      `${path} is outside the directories this indexer may read (its source roots, CONEXUS_SOURCE_ROOTS)`,
    );
  const real = realOrNone(path)[0];
  if (real === undefined) {
    // why: "no such directory" for a path outside the roots would tell a caller what exists on the server.
    if (!bases.some((base) => within(base, resolve(path)))) throw outside();
    throw new ConexusError('not_found', `no such directory on the indexer: ${path}`);
  }
  if (!roots.flatMap(realOrNone).some((base) => within(base, real))) throw outside();
  return real;
}

// why: git opens <path>/.git, <path>.git/.git or <path>.git when they exist, and a .git file ("gitdir: …") or link
// may point anywhere; each candidate must itself be a directory inside the roots.
function allowedFileUrl(url: GitUrl, roots: readonly string[]): GitUrl {
  const real = allowedPath(url.path, roots);
  if (!statSync(real).isDirectory()) throw new ConexusError('invalid_argument', `${url.path} is not a directory`);
  for (const candidate of [join(real, '.git'), `${real}.git/.git`, `${real}.git`]) {
    const info = lstatSync(candidate, { throwIfNoEntry: false });
    if (!info) continue;
    if (!info.isDirectory())
      throw new ConexusError(
        'permission_denied',
        `${candidate} is a link or file, which git could follow out of the source roots`,
      );
    allowedPath(candidate, roots);
  }
  return parseGitUrl(`file://${real}`);
}

function realOrNone(path: string): string[] {
  try {
    return [realpathSync(path)];
  } catch {
    return [];
  }
}

const within = (base: string, path: string): boolean => {
  const offset = relative(base, path);
  return offset !== '..' && !offset.startsWith(`..${sep}`) && !isAbsolute(offset);
};
