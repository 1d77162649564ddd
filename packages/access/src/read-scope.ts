import { isCanonicalPath } from './canonical-path.js';
import { globMatches } from './glob-matches.js';

/** What a principal may read: everything, or allow rules minus deny rules (deny wins; default deny). */
export interface ReadScope {
  readonly everything: boolean;
  readonly repos: readonly RepoRule[];
  /** Deny rules that apply whichever allow rule matched. */
  readonly denies: readonly PathRule[];
}

/** Paths of the repositories a glob names that a principal may read. */
export interface RepoRule {
  /** A repository name or a glob over names. */
  readonly repo: string;
  /** Path globs; empty allows every path. */
  readonly allowPaths: readonly string[];
  readonly denyPaths: readonly string[];
}

/** One repository glob and one path glob. */
export interface PathRule {
  readonly repo: string;
  readonly path: string;
}

/** The scope of the single user of an embedded server on loopback. */
export const EVERYTHING: ReadScope = { everything: true, repos: [], denies: [] };

/** The scope of a principal with no grants. */
export const NOTHING: ReadScope = { everything: false, repos: [], denies: [] };

/** Whether the scope names a repository at all, and does not deny the whole of it. */
export function repoVisible(scope: ReadScope, repo: string): boolean {
  if (scope.everything) return true;
  if (scope.denies.some((rule) => rule.path === '**' && globMatches(rule.repo, repo))) return false;
  return scope.repos.some((rule) => globMatches(rule.repo, repo) && !rule.denyPaths.includes('**'));
}

/** The requested repositories (all present ones when none are named) that the scope lets the principal see. */
export function readableRepos(scope: ReadScope, requested: readonly string[], present: readonly string[]): string[] {
  const candidates = requested.length > 0 ? requested : present;
  return candidates.filter((repo) => repoVisible(scope, repo));
}

/** Whether the scope lets the principal read one path of a repository; paths not in canonical form are never readable. */
export function pathReadable(scope: ReadScope, repo: string, path: string): boolean {
  return repoReader(scope, repo)(path);
}

/** The readability test of one repository's paths, with the scope's rules for that repository picked out once. */
export function repoReader(scope: ReadScope, repo: string): (path: string) => boolean {
  if (scope.everything) return isCanonicalPath;
  const denies = scope.denies.filter((rule) => globMatches(rule.repo, repo)).map((rule) => rule.path);
  const rules = scope.repos.filter((rule) => globMatches(rule.repo, repo));
  for (const rule of rules) denies.push(...rule.denyPaths);
  const everyPath = rules.some((rule) => rule.allowPaths.length === 0);
  const allows = rules.flatMap((rule) => rule.allowPaths);
  if (!everyPath && allows.length === 0) return () => false;
  return (path) =>
    isCanonicalPath(path) &&
    !denies.some((glob) => globMatches(glob, path)) &&
    (everyPath || allows.some((glob) => globMatches(glob, path)));
}
