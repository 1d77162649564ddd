import { globMatches, type ReadScope, type RepoRule } from '@conexus/access';
import type { Rule } from './policy-entry.js';

/** The read scope that a principal's applicable rules give over the repositories its tenant owns; deny wins, default deny. */
export function compileScope(rules: readonly Rule[], ownedRepos: readonly string[]): ReadScope {
  const allows = new Map<string, string[]>();
  for (const rule of rules) {
    if (rule.effect !== 'allow') continue;
    // why: repository globs expand only over the tenant's own repositories, so a rule can never reach another tenant's code.
    for (const repo of ownedRepos.filter((name) => globMatches(rule.repo, name))) allows.set(repo, [...(allows.get(repo) ?? []), rule.path]);
  }
  const repos: RepoRule[] = [...allows].map(([repo, allowPaths]) => ({ repo, allowPaths, denyPaths: [] }));
  const denies = rules.filter((rule) => rule.effect === 'deny').map((rule) => ({ repo: rule.repo, path: rule.path }));
  return { everything: false, repos, denies };
}
