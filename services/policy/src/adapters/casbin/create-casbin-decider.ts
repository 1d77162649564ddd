import { globMatches, isCanonicalPath, type Principal, type ReadScope } from '@conexus/access';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { compileScope } from '../../domain/compile-scope.js';
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

/** Builds a decider over one snapshot of the policy with a Casbin enforcer (tenants as domains, roles through `g`). */
export async function createCasbinDecider(entries: readonly PolicyEntry[]): Promise<Decider> {
  const enforcer: Enforcer = await newEnforcer(newModelFromString(MODEL));
  let lastList = '';
  let lastSet = new Set<string>();
  await enforcer.addFunction('hasSubject', (list: string, subject: string) => {
    if (list !== lastList) [lastList, lastSet] = [list, new Set(list.split(SEPARATOR))];
    return lastSet.has(subject);
  });
  await enforcer.addFunction('glob', (pattern: string, value: string) => globMatches(pattern, value));
  const rules = entries.filter((entry): entry is Rule => entry.kind === 'rule');
  const members = entries.filter((entry): entry is Membership => entry.kind === 'member');
  if (rules.length > 0) await enforcer.addPolicies(rules.map((rule) => [rule.subject, rule.tenant, rule.repo, rule.path, rule.effect]));
  if (members.length > 0) await enforcer.addGroupingPolicies(members.map((member) => [member.member, member.role, member.tenant]));
  const owners = new Map<string, string>();
  for (const entry of entries) if (entry.kind === 'owner') owners.set(entry.repo, entry.tenant);
  const ownedBy = (tenant: string): string[] => [...owners].flatMap(([repo, owner]) => (owner === tenant ? [repo] : []));

  const subjectsFor = async (principal: Principal): Promise<string[]> => {
    const direct = subjectsOf(principal);
    const roles = await Promise.all(direct.map((subject) => enforcer.getImplicitRolesForUser(subject, principal.tenant)));
    return [...new Set([...direct, ...roles.flat()])];
  };
  const rulesFor = (tenant: string, subjects: ReadonlySet<string>): Rule[] => rules.filter((rule) => rule.tenant === tenant && subjects.has(rule.subject));

  return {
    async scopeFor(principal): Promise<ReadScope> {
      return compileScope(rulesFor(principal.tenant, new Set(await subjectsFor(principal))), ownedBy(principal.tenant));
    },
    async decide(principal, repo, path): Promise<Decision> {
      const subjects = await subjectsFor(principal);
      const matched = rulesFor(principal.tenant, new Set(subjects)).filter((rule) => globMatches(rule.repo, repo) && globMatches(rule.path, path));
      if (!isCanonicalPath(path)) return { allowed: false, reason: 'the path is not in canonical form', matched: [], subjects };
      if (owners.get(repo) !== principal.tenant) return { allowed: false, reason: `tenant ${principal.tenant} does not own repository ${repo}`, matched: [], subjects };
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

function describe(rule: Rule): string {
  return `${rule.effect} ${rule.subject} ${rule.repo}:${rule.path}`;
}
