import { globMatches } from '@conexus/access';
import type { Rule } from './policy-entry.js';

/** The rules of one policy snapshot, found by the repository they can apply to. */
export interface RuleIndex {
  /** A tenant's rules whose repository glob matches a repository name: what that repository's enforcer holds. */
  rulesOver(tenant: string, repo: string): readonly Rule[];
}

/**
 * Indexes a snapshot's rules by tenant, and by repository on first use. The per-repository Casbin enforcers
 * (Explain) and the scopes the shards enforce both read their rules here, so they always hold the same ones.
 */
export function createRuleIndex(rules: readonly Rule[]): RuleIndex {
  const byTenant = new Map<string, Rule[]>();
  for (const rule of rules) byTenant.set(rule.tenant, [...(byTenant.get(rule.tenant) ?? []), rule]);
  const byRepo = new Map<string, readonly Rule[]>();
  return {
    rulesOver(tenant, repo) {
      const key = `${tenant}\n${repo}`;
      let found = byRepo.get(key);
      if (!found) {
        found = (byTenant.get(tenant) ?? []).filter((rule) => globMatches(rule.repo, repo));
        byRepo.set(key, found);
      }
      return found;
    },
  };
}
