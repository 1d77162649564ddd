import { globMatches } from '@conexus/access';
import type { Rule } from './policy-entry.js';

/** The rules of one policy snapshot, found by tenant, subject and the repository they can apply to. */
export interface RuleIndex {
  /** A tenant's rules that can apply to a repository: what that repository's enforcer holds. */
  rulesOver(tenant: string, repo: string): readonly Rule[];
  /** A tenant's rules naming one of the subjects, in subject order. */
  rulesOf(tenant: string, subjects: readonly string[]): Rule[];
}

/** Whether a rule can apply to a repository of its tenant: its repository glob matches the name. */
export function ruleCovers(rule: Rule, repo: string): boolean {
  return globMatches(rule.repo, repo);
}

/**
 * Indexes a snapshot's rules by tenant and subject, and by repository on first use. The per-repository Casbin
 * enforcers (Explain) and the scopes the shards enforce both select their rules here with `ruleCovers`, so the
 * rules a scope lists for a repository are exactly those its enforcer holds for the caller's subjects.
 */
export function createRuleIndex(rules: readonly Rule[]): RuleIndex {
  const byTenant = new Map<string, Rule[]>();
  const bySubject = new Map<string, Rule[]>();
  for (const rule of rules) {
    byTenant.set(rule.tenant, [...(byTenant.get(rule.tenant) ?? []), rule]);
    const key = `${rule.tenant}\n${rule.subject}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), rule]);
  }
  const byRepo = new Map<string, readonly Rule[]>();
  return {
    rulesOver(tenant, repo) {
      const key = `${tenant}\n${repo}`;
      let found = byRepo.get(key);
      if (!found) {
        found = (byTenant.get(tenant) ?? []).filter((rule) => ruleCovers(rule, repo));
        byRepo.set(key, found);
      }
      return found;
    },
    rulesOf: (tenant, subjects) => subjects.flatMap((subject) => bySubject.get(`${tenant}\n${subject}`) ?? []),
  };
}
