/** What a principal may read: every repository, or listed repositories with path globs (deny wins). */
export interface ReadScope {
  readonly everything: boolean;
  readonly repos: readonly RepoRule[];
}

/** The paths of one repository a principal may read. */
export interface RepoRule {
  readonly repo: string;
  /** Globs (`*` within a segment, `**` across segments); empty allows every path. */
  readonly allowPaths: readonly string[];
  readonly denyPaths: readonly string[];
}

/** The scope of the single user of an embedded server on loopback. */
export const EVERYTHING: ReadScope = { everything: true, repos: [] };

/** The requested repositories (all present ones when none are named) that the scope lets the principal read. */
export function readableRepos(scope: ReadScope, requested: readonly string[], present: readonly string[]): string[] {
  const candidates = requested.length > 0 ? requested : present;
  if (scope.everything) return [...candidates];
  const allowed = new Set(scope.repos.map((rule) => rule.repo));
  return candidates.filter((repo) => allowed.has(repo));
}

/** Whether the scope lets the principal read one path of a repository. */
export function pathReadable(scope: ReadScope, repo: string, path: string): boolean {
  if (scope.everything) return true;
  const rule = scope.repos.find((candidate) => candidate.repo === repo);
  if (!rule) return false;
  if (rule.denyPaths.some((glob) => globMatches(glob, path))) return false;
  return rule.allowPaths.length === 0 || rule.allowPaths.some((glob) => globMatches(glob, path));
}

/** Whether a path glob matches: `**` spans segments, `*` and `?` stay within one. */
export function globMatches(glob: string, path: string): boolean {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      pattern += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`).test(path);
}
