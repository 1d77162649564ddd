import type { ReadScope, RepoRule } from '@conexus/access';
import type { Rule } from './policy-entry.js';

/**
 * The read scope of a principal: for each repository its tenant owns, exactly the rules that repository's
 * enforcer holds for the principal's subjects, as path globs. The shards evaluate them as the Casbin model does
 * (same glob function; some allow and no deny), so the scope and Explain cannot disagree.
 */
export function compileScope(ownedRepos: readonly string[], rulesOver: (repo: string) => readonly Rule[], subjects: ReadonlySet<string>): ReadScope {
  const repos: RepoRule[] = [];
  // why: only owned repositories are listed, so no rule can reach another tenant's code; repository names hold
  // no glob characters (the gateway refuses them), so each name matches itself and nothing else on the shard.
  for (const repo of ownedRepos) {
    const applicable = rulesOver(repo).filter((rule) => subjects.has(rule.subject));
    const allowPaths = applicable.filter((rule) => rule.effect === 'allow').map((rule) => rule.path);
    // why: without an allow rule the enforcer denies every path, and an empty allow list would mean every path.
    if (allowPaths.length === 0) continue;
    repos.push({ repo, allowPaths, denyPaths: applicable.filter((rule) => rule.effect === 'deny').map((rule) => rule.path) });
  }
  return { everything: false, repos, denies: [] };
}
