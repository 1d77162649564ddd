import type { Principal } from '@conexus/access';
import type { PolicyStore } from '@conexus/policy';

/** What the policy store holds (the policy package keeps the type itself internal). */
export type PolicyEntry = Parameters<PolicyStore['put']>[1];

/** How large a synthetic policy is. */
export interface PolicySize {
  readonly tenants: number;
  readonly repos: number;
  readonly groups: number;
  readonly roles: number;
  readonly rules: number;
}

/** A generated policy with store keys, and principals and read requests drawn from it. */
export interface SyntheticPolicy {
  readonly entries: ReadonlyMap<string, PolicyEntry>;
  readonly tenants: readonly string[];
  readonly groupsOf: ReadonlyMap<string, readonly string[]>;
  readonly rolesOf: ReadonlyMap<string, readonly string[]>;
  readonly principals: readonly Principal[];
  readonly probes: readonly { principal: Principal; repo: string; path: string }[];
  readonly counts: { readonly allow: number; readonly deny: number; readonly memberships: number };
}

const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
const FAMILIES = ['svc', 'lib', 'web', 'infra', 'data'];
const ALLOW_PATHS = [
  '**',
  'src/**',
  'docs/**',
  '**/*.md',
  'lib/**',
  'api/**',
  'cmd/**',
  'internal/**',
  'test/**',
  '**/*.proto',
];
const DENY_PATHS = ['**/secrets/**', 'internal/**', '**/*.pem', 'config/prod/**', 'src/billing/**', '**/.env'];
const PROBE_PATHS = [
  'src/app/main.ts',
  'src/billing/invoice.ts',
  'docs/guide.md',
  'internal/secrets/key.pem',
  'test/unit/cart.test.ts',
  'README.md',
  'api/v1/service.proto',
  'config/prod/values.yaml',
  'cmd/server/main.go',
  'lib/util/strings.ts',
];

/**
 * A seeded, realistic policy: repositories owned across tenants, groups holding roles, roles inheriting from roles over
 * three levels, and rules mixing allow and deny over exact repositories, repository globs and path globs.
 * Deny rules never use the bare `*` repository glob, so a repository added by name later is governed only by its own rules.
 */
export function syntheticPolicy(size: PolicySize, issuer: string, seed = 1): SyntheticPolicy {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const some = <T>(items: readonly T[], count: number): T[] => [
    ...new Set(Array.from({ length: count }, () => pick(items))),
  ];
  const tenants = TENANTS.slice(0, size.tenants);
  const entries = new Map<string, PolicyEntry>();
  const reposOf = new Map(tenants.map((tenant) => [tenant, [] as string[]]));
  const groupsOf = new Map(tenants.map((tenant) => [tenant, [] as string[]]));
  const rolesOf = new Map(tenants.map((tenant) => [tenant, [] as string[]]));
  const tenantAt = (i: number): string => tenants[i % tenants.length]!;
  for (let i = 0; i < size.repos; i++) {
    const repo = `${FAMILIES[i % FAMILIES.length]}-${String(i).padStart(3, '0')}`;
    reposOf.get(tenantAt(i))!.push(repo);
    entries.set(`owner.bench-${repo}`, { kind: 'owner', tenant: tenantAt(i), repo });
  }
  for (let i = 0; i < size.groups; i++) groupsOf.get(tenantAt(i))!.push(`team-${String(i).padStart(2, '0')}`);
  for (let i = 0; i < size.roles; i++) rolesOf.get(tenantAt(i))!.push(`role-${String(i).padStart(2, '0')}`);

  let memberships = 0;
  const member = (tenant: string, who: string, role: string): void => {
    entries.set(`member.bench-${memberships++}`, { kind: 'member', tenant, member: who, role: `role:${role}` });
  };
  for (const tenant of tenants) {
    // why: three levels: a role in the top fifth inherits two of the middle ones, each of which inherits two base roles.
    const roles = rolesOf.get(tenant)!;
    const base = roles.slice(0, Math.ceil(roles.length / 2));
    const middle = roles.slice(base.length, Math.ceil(roles.length * 0.8));
    const top = roles.slice(base.length + middle.length);
    for (const role of middle) for (const inherited of some(base, 2)) member(tenant, `role:${role}`, inherited);
    for (const role of top)
      for (const inherited of some(middle.length > 0 ? middle : base, 2)) member(tenant, `role:${role}`, inherited);
    for (const group of groupsOf.get(tenant)!)
      for (const role of some(roles, 1 + Math.floor(random() * 2))) member(tenant, `group:${group}`, role);
    for (let user = 0; user < 10; user++) member(tenant, `user:${issuer}#user-${user}`, pick(roles));
  }

  let deny = 0;
  for (let i = 0; i < size.rules; i++) {
    const tenant = tenantAt(i);
    const draw = random();
    const subject =
      draw < 0.45
        ? `group:${pick(groupsOf.get(tenant)!)}`
        : draw < 0.9
          ? `role:${pick(rolesOf.get(tenant)!)}`
          : `user:${issuer}#user-${Math.floor(random() * 100)}`;
    const effect = random() < 0.15 ? 'deny' : 'allow';
    const shape = random();
    const repo =
      shape < 0.5 ? pick(reposOf.get(tenant)!) : shape < 0.85 || effect === 'deny' ? `${pick(FAMILIES)}-*` : '*';
    if (effect === 'deny') deny += 1;
    entries.set(`rule.bench-${i}`, {
      kind: 'rule',
      tenant,
      subject,
      repo,
      path: pick(effect === 'deny' ? DENY_PATHS : ALLOW_PATHS),
      effect,
    });
  }

  const principals = Array.from({ length: 500 }, (_, i): Principal => {
    const tenant = pick(tenants);
    return {
      issuer,
      subject: `user-${i % 100}`,
      tenant,
      groups: some(groupsOf.get(tenant)!, 1 + Math.floor(random() * 5)),
      roles: some(rolesOf.get(tenant)!, Math.floor(random() * 4)),
    };
  });
  // why: one request in ten names another tenant's repository, which the owner check refuses.
  const probes = Array.from({ length: 2000 }, () => {
    const principal = pick(principals);
    const repo = pick(reposOf.get(random() < 0.9 ? principal.tenant : pick(tenants))!);
    return { principal, repo, path: pick(PROBE_PATHS) };
  });
  return {
    entries,
    tenants,
    groupsOf,
    rolesOf,
    principals,
    probes,
    counts: { allow: size.rules - deny, deny, memberships },
  };
}

/** A small seeded generator, so every run measures the same policy. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
