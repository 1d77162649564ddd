import { globMatches, isCanonicalPath, type Principal, type ReadScope } from '@conexus/access';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { compileScope } from '../../domain/compile-scope.js';
import { createRuleIndex, ruleCovers } from '../../domain/create-rule-index.js';
import type { Decision, Decider } from '../../domain/decider.js';
import type { Membership, PolicyEntry, Rule } from '../../domain/policy-entry.js';
import { subjectsOf } from '../../domain/subjects-of.js';

// why: the request carries every subject the principal acts as (roles already expanded through `g`), so one
// enforcement sees all of its rules at once and a deny for any of them wins over an allow for another.
const MODEL = `
[request_definition]
r = subs, dom, repo, path

[policy_definition]
p = sub, dom, repo, path, eft

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = r.dom == p.dom && hasSubject(r.subs, p.sub) && glob(p.repo, r.repo) && glob(p.path, r.path)
`;
const SEPARATOR = '\n';
const MAX_CACHED = 10_000;

/**
 * Builds a decider over one snapshot of the policy with Casbin: one enforcer holds the role graph (tenants as
 * domains), and each repository gets its own enforcer holding only the rules whose repository glob matches it,
 * built on first use. A scope records, per owned repository, exactly the rules that repository's enforcer holds
 * for the caller's subjects. A snapshot never changes, so subjects and scopes are cached until the next snapshot.
 */
export async function createCasbinDecider(entries: readonly PolicyEntry[]): Promise<Decider> {
  const roles = await newEnforcer(newModelFromString(MODEL));
  const members = entries.filter((entry): entry is Membership => entry.kind === 'member');
  if (members.length > 0)
    await roles.addGroupingPolicies(members.map((member) => [member.member, member.role, member.tenant]));
  const index = createRuleIndex(entries.filter((entry): entry is Rule => entry.kind === 'rule'));
  const owners = new Map<string, string>();
  for (const entry of entries) if (entry.kind === 'owner') owners.set(entry.repo, entry.tenant);
  const ownedBy = new Map<string, string[]>();
  for (const [repo, tenant] of owners) ownedBy.set(tenant, [...(ownedBy.get(tenant) ?? []), repo]);

  const repoEnforcers = new Map<string, Promise<Enforcer>>();
  const enforcerFor = (tenant: string, repo: string): Promise<Enforcer> => {
    const key = `${tenant}\n${repo}`;
    let enforcer = repoEnforcers.get(key);
    if (!enforcer) {
      enforcer = buildRuleEnforcer(index.rulesOver(tenant, repo));
      repoEnforcers.set(key, enforcer);
    }
    return enforcer;
  };
  const subjectCache = new Map<string, Promise<string[]>>();
  const subjectsFor = (principal: Principal): Promise<string[]> => {
    const direct = subjectsOf(principal);
    const key = `${principal.tenant}\n${direct.join(SEPARATOR)}`;
    let subjects = subjectCache.get(key);
    if (!subjects) {
      subjects = Promise.all(direct.map((subject) => roles.getImplicitRolesForUser(subject, principal.tenant))).then(
        (implied) => [...new Set([...direct, ...implied.flat()])],
      );
      remember(subjectCache, key, subjects);
    }
    return subjects;
  };
  const scopeCache = new Map<string, Promise<ReadScope>>();

  return {
    scopeFor(principal) {
      const key = `${principal.tenant}\n${subjectsOf(principal).join(SEPARATOR)}`;
      let scope = scopeCache.get(key);
      if (!scope) {
        scope = subjectsFor(principal).then((subjects) =>
          compileScope(ownedBy.get(principal.tenant) ?? [], index.rulesOf(principal.tenant, subjects)),
        );
        remember(scopeCache, key, scope);
      }
      return scope;
    },
    async decide(principal, repo, path): Promise<Decision> {
      const subjects = await subjectsFor(principal);
      if (!isCanonicalPath(path))
        return { allowed: false, reason: 'the path is not in canonical form', matched: [], subjects };
      if (owners.get(repo) !== principal.tenant)
        return {
          allowed: false,
          reason: `tenant ${principal.tenant} does not own repository ${repo}`,
          matched: [],
          subjects,
        };
      const matched = index
        .rulesOf(principal.tenant, subjects)
        .filter((rule) => ruleCovers(rule, repo) && globMatches(rule.path, path));
      const enforcer = await enforcerFor(principal.tenant, repo);
      const allowed = enforcer.enforceSync(subjects.join(SEPARATOR), principal.tenant, repo, path);
      const deny = matched.find((rule) => rule.effect === 'deny');
      const reason = allowed
        ? `allowed by ${describe(matched.find((rule) => rule.effect === 'allow')!)}`
        : deny
          ? `denied by ${describe(deny)}`
          : 'no rule allows it (default deny)';
      return { allowed, reason, matched, subjects };
    },
    subjectsFor,
    ownerOf: (repo) => owners.get(repo),
  };
}

async function buildRuleEnforcer(rules: readonly Rule[]): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(MODEL));
  let lastList = '';
  let lastSet = new Set<string>();
  await enforcer.addFunction('hasSubject', (list: string, subject: string) => {
    if (list !== lastList) [lastList, lastSet] = [list, new Set(list.split(SEPARATOR))];
    return lastSet.has(subject);
  });
  await enforcer.addFunction('glob', (pattern: string, value: string) => globMatches(pattern, value));
  if (rules.length > 0)
    await enforcer.addPolicies(rules.map((rule) => [rule.subject, rule.tenant, rule.repo, rule.path, rule.effect]));
  return enforcer;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  // why: a snapshot lives until the next policy change; the cap only bounds memory between changes.
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
}

function describe(rule: Rule): string {
  return `${rule.effect} ${rule.subject} ${rule.repo}:${rule.path}`;
}
