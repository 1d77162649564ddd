import type { ReadScope, RepoRule } from '@conexus/access';
import { ruleCovers } from './create-rule-index.js';
import type { Rule } from './policy-entry.js';

const GLOB_CHARACTER = /[*?]/;

/**
 * The read scope of a principal from its tenant's rules for its subjects: for each repository the tenant owns,
 * the rules `ruleCovers` selects for it (exactly those its enforcer holds for these subjects), as path globs.
 * The shards evaluate them as the Casbin model does (same glob function; some allow and no deny), so the scope
 * and Explain cannot disagree.
 */
export function compileScope(ownedRepos: readonly string[], subjectRules: readonly Rule[]): ReadScope {
  const repos: RepoRule[] = [];
  for (const repo of ownedRepos) {
    // why: the shard matches a scope's repository as a glob; a name with glob characters (which the gateway never
    // lets anyone add) could match another tenant's repositories there, so it is left out.
    if (GLOB_CHARACTER.test(repo)) continue;
    const applicable = subjectRules.filter((rule) => ruleCovers(rule, repo));
    const allowPaths = applicable.filter((rule) => rule.effect === 'allow').map((rule) => rule.path);
    // why: without an allow rule the enforcer denies every path, and an empty allow list would mean every path.
    if (allowPaths.length === 0) continue;
    repos.push({
      repo,
      allowPaths,
      denyPaths: applicable.filter((rule) => rule.effect === 'deny').map((rule) => rule.path),
    });
  }
  // why: only owned repositories are listed, so no rule can reach another tenant's code.
  return { everything: false, repos, denies: [] };
}
