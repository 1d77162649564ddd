import { Effect, type ApiKey, type ExplainResponse, type ListPoliciesResponse, type Rule } from '@conexus/api';

/** A rule as `conexus policy … --json` prints it. */
export interface RuleJson {
  readonly id?: string;
  readonly effect: 'allow' | 'deny';
  readonly subject: string;
  readonly repo: string;
  readonly path: string;
}

/** The JSON `conexus policy list --json` prints. */
export function policiesJson(list: ListPoliciesResponse): {
  rules: RuleJson[];
  memberships: { id: string; member: string; role: string }[];
  repos: string[];
} {
  return {
    rules: list.rules.map((rule) => ({ id: rule.id, ...ruleFields(rule) })),
    memberships: list.memberships.map(({ id, member, role }) => ({ id, member, role })),
    repos: [...list.repos],
  };
}

/** The tables `conexus policy list` prints: rules, memberships and the repositories the tenant owns. */
export function formatPolicies(list: ListPoliciesResponse): string {
  const rules = list.rules.map((rule) => [rule.id, effectName(rule.effect), rule.subject, `${rule.repo}:${rule.path}`]);
  const memberships = list.memberships.map((membership) => [membership.id, membership.member, membership.role]);
  return [
    section('rules', ['ID', 'EFFECT', 'SUBJECT', 'REPO:PATH'], rules),
    section('memberships', ['ID', 'MEMBER', 'ROLE'], memberships),
    `owned repositories: ${list.repos.length > 0 ? list.repos.join(', ') : 'none'}\n`,
  ].join('\n');
}

/** The JSON `conexus policy explain --json` prints. */
export function explanationJson(explained: ExplainResponse): {
  allowed: boolean;
  reason: string;
  matched: RuleJson[];
  subjects: string[];
} {
  return {
    allowed: explained.allowed,
    reason: explained.reason,
    matched: explained.matched.map(ruleFields),
    subjects: [...explained.subjects],
  };
}

/** The decision, its reason, the rules that matched and the subjects the principal acts as. */
export function formatExplanation(explained: ExplainResponse): string {
  const matched = explained.matched.map((rule) => [effectName(rule.effect), rule.subject, `${rule.repo}:${rule.path}`]);
  return [
    `${explained.allowed ? 'allowed' : 'denied'}: ${explained.reason}\n`,
    matched.length > 0 ? `matched rules:\n${table(matched)}` : 'matched rules: none\n',
    `subjects: ${explained.subjects.join(', ') || 'none'}\n`,
  ].join('');
}

/** The JSON `conexus keys list --json` prints: never a secret, which the server does not keep. */
export function keysJson(keys: readonly ApiKey[]): {
  keys: { id: string; name: string; roles: string[]; createdAt: string }[];
} {
  return { keys: keys.map(({ id, name, roles, createdAt }) => ({ id, name, roles: [...roles], createdAt })) };
}

/** The table `conexus keys list` prints. */
export function formatKeys(keys: readonly ApiKey[]): string {
  if (keys.length === 0) return 'no API keys\n';
  return table(
    [
      ['ID', 'NAME', 'ROLES', 'CREATED'],
      ...keys.map((key) => [key.id, key.name, key.roles.join(',') || '-', key.createdAt]),
    ],
    '',
  );
}

function ruleFields(rule: Rule): RuleJson {
  return { effect: effectName(rule.effect), subject: rule.subject, repo: rule.repo, path: rule.path };
}

function effectName(effect: Effect): 'allow' | 'deny' {
  // why: the server never stores an unspecified effect; if one ever arrives, showing it as allow would mislead.
  return effect === Effect.ALLOW ? 'allow' : 'deny';
}

function section(title: string, header: string[], rows: string[][]): string {
  return rows.length === 0 ? `${title}: none\n` : `${title}:\n${table([header, ...rows])}`;
}

/** Left-aligned columns, two spaces apart. */
function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map(
      (row) =>
        `${indent}${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')}\n`,
    )
    .join('');
}
