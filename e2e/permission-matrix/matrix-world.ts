import type { ReferenceMembership, ReferencePrincipal, ReferenceRule } from './reference-access.js';

/** One file of a fixture repository, with the marker word and symbol that reveal it in search results. */
export interface MatrixFile {
  readonly path: string;
  /** A lowercase word found in this file only, e.g. `zqmarkerwebab`. */
  readonly marker: string;
  /** The one function this file defines (`zqsym_webab`), or null for Markdown. */
  readonly symbol: string | null;
  readonly content: string;
}

/** One fixture repository, indexed under `name`. */
export interface MatrixRepo {
  readonly name: string;
  readonly files: readonly MatrixFile[];
}

/** One person of the world: the claims their token carries, and what they should be able to read. */
export interface MatrixUser {
  readonly subject: string;
  readonly tenant: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly note: string;
}

/** Everything the permission matrix indexes, signs tokens for and writes policy for. */
export interface MatrixWorld {
  readonly issuer: string;
  readonly tenants: readonly string[];
  readonly repos: readonly MatrixRepo[];
  readonly users: readonly MatrixUser[];
  readonly memberships: readonly ReferenceMembership[];
  readonly rules: readonly ReferenceRule[];
}

/** The claims to put in a user's token (the issuer is the caller's). */
export interface MatrixTokenClaims {
  readonly subject: string;
  readonly tenant: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

function fixtureFile(code: string, index: number, path: string): MatrixFile {
  // why: ids are letters only and all of one length, so no marker is a prefix of another and a tokenizer
  // that splits letters from digits cannot make two markers share a token.
  const id = `${code}${String.fromCharCode(97 + Math.floor(index / 26))}${String.fromCharCode(97 + (index % 26))}`;
  const marker = `zqmarker${id}`;
  if (path.endsWith('.md'))
    return { path, marker, symbol: null, content: `# Fixture ${marker}\n\nThis page mentions ${marker} once.\n` };
  const symbol = `zqsym_${id}`;
  return { path, marker, symbol, content: `// ${marker}\nexport function ${symbol}() {}\n` };
}

function fixtureRepo(name: string, code: string, paths: readonly string[]): MatrixRepo {
  return { name, files: paths.map((path, index) => fixtureFile(code, index, path)) };
}

const REPOS: readonly MatrixRepo[] = [
  fixtureRepo('acme-web', 'web', [
    'README.md',
    'src/main.ts',
    'src/util/strings.ts',
    'src/secret/keys.ts',
    'src/secret/nested/deep/token.ts',
    'src/secret-notes.ts',
    'Src/main.ts',
    'src%2fmain.ts',
    'docs/guide.md',
    'docs/internal/plan.md',
    'lib/a/b/c/d/deep.ts',
    'test/main.test.ts',
  ]),
  fixtureRepo('acme-web-legacy', 'leg', [
    'README.md',
    'src/main.ts',
    'src/old/legacy.ts',
    'src/secret/keys.ts',
    'Src/main.ts',
    'src%2fsecret%2fkeys.ts',
    'docs/guide.md',
    'docs/internal/plan.md',
    'lib/a/b/c/deep.ts',
  ]),
  fixtureRepo('acme-api', 'api', [
    'README.md',
    'x.ts',
    'src/server.ts',
    'src/routes/users.ts',
    'src/secret/db-password.ts',
    'src/secret/keys.ts',
    'src%2fserver.ts',
    'src%2fsecret%2fdb-password.ts',
    'Src/server.ts',
    'docs/api.md',
    'docs/internal/runbook.md',
    'deploy/prod/secret/values.ts',
  ]),
  fixtureRepo('globex-core', 'glx', [
    'README.md',
    'src/main.ts',
    'src/core/engine.ts',
    'src/secret/keys.ts',
    'src%2fsecret%2fkeys.ts',
    'Src/main.ts',
    // why: not under vendor/ or similar, which the indexer skips as vendored code.
    'docs/guide.md',
    'docs/internal/plan.md',
    'hr/payroll.ts',
    'pkg/lib/a/b/x.ts',
  ]),
];

const USERS: readonly MatrixUser[] = [
  {
    subject: 'alice',
    tenant: 'acme',
    groups: ['eng'],
    roles: [],
    note: 'eng: all of acme-web except src/secret/** and docs/internal/**; docs/guide.md of acme-web-legacy; docs/api.md of acme-api',
  },
  { subject: 'bob', tenant: 'acme', groups: [], roles: [], note: 'no grants: nothing' },
  {
    subject: 'carol',
    tenant: 'acme',
    groups: [],
    roles: ['admin'],
    note: 'admin: every acme-* file except **/secret/** in acme-api (src%2fsecret%2fdb-password.ts stays readable)',
  },
  {
    subject: 'dave',
    tenant: 'acme',
    groups: ['contractors'],
    roles: ['developer'],
    note: 'developer allows acme-api src/** but the contractors group is denied src/secret/**; plus README.md and docs (not docs/internal)',
  },
  {
    subject: 'erin',
    tenant: 'acme',
    groups: [],
    roles: ['lead'],
    note: 'lead -> developer -> reader: acme-api src/** (secret included), README.md, docs/api.md; docs/guide.md of acme-web and acme-web-legacy',
  },
  {
    subject: 'frank',
    tenant: 'acme',
    groups: [],
    roles: [],
    note: 'user rules: acme-web-legacy src/*.ts (src/main.ts only) and acme-web Src/** (Src/main.ts only)',
  },
  {
    subject: 'grace',
    tenant: 'acme',
    groups: [],
    roles: [],
    note: 'user membership -> auditor: **/*.md in acme-??? (acme-web, acme-api), docs/internal included',
  },
  {
    subject: 'peggy',
    tenant: 'acme',
    groups: ['ops'],
    roles: [],
    note: 'ops -> lead -> developer -> reader: same as erin',
  },
  {
    subject: 'heidi',
    tenant: 'globex',
    groups: ['eng'],
    roles: [],
    note: 'globex eng -> engineer: globex-core src/** except src/secret/**; no acme repo despite sharing the eng group name',
  },
  {
    subject: 'ivan',
    tenant: 'globex',
    groups: ['eng'],
    roles: ['admin'],
    note: 'globex admin: all of globex-core except hr/** and src/secret/**; no acme repo despite the admin role name',
  },
  {
    subject: 'judy',
    tenant: 'initech',
    groups: ['eng'],
    roles: ['admin'],
    note: 'initech has no repositories: nothing',
  },
];

/** A foreign issuer: a rule naming `user:<it>#alice` must not reach the trusted issuer's alice. */
const MATRIX_FOREIGN_ISSUER = 'https://foreign-issuer.invalid';

function policy(issuer: string): { memberships: ReferenceMembership[]; rules: ReferenceRule[] } {
  const user = (subject: string): string => `user:${issuer}#${subject}`;
  const member = (tenant: string, who: string, role: string): ReferenceMembership => ({ tenant, member: who, role });
  const allow = (tenant: string, subject: string, repo: string, path: string): ReferenceRule => ({
    tenant,
    subject,
    repo,
    path,
    effect: 'allow',
  });
  const deny = (tenant: string, subject: string, repo: string, path: string): ReferenceRule => ({
    tenant,
    subject,
    repo,
    path,
    effect: 'deny',
  });
  const memberships = [
    member('acme', 'group:eng', 'role:reader'),
    member('acme', 'role:lead', 'role:developer'),
    member('acme', 'role:developer', 'role:reader'),
    member('acme', user('grace'), 'role:auditor'),
    member('acme', 'group:ops', 'role:lead'),
    member('acme', 'key:ci-bot', 'role:admin'),
    member('globex', 'group:eng', 'role:engineer'),
    // why: alice is an acme user; a system that ignores a membership's tenant would make her an acme admin.
    member('globex', user('alice'), 'role:admin'),
    member('initech', 'group:eng', 'role:admin'),
  ];
  const rules = [
    allow('acme', 'group:eng', 'acme-web', '**'),
    deny('acme', 'group:eng', 'acme-web', 'src/secret/**'),
    allow('acme', 'role:reader', 'acme-*', 'docs/**'),
    deny('acme', 'role:reader', 'acme-*', 'docs/internal/**'),
    allow('acme', 'role:developer', 'acme-api', 'src/**'),
    allow('acme', 'role:developer', 'acme-api', 'README.md'),
    deny('acme', 'group:contractors', 'acme-api', 'src/secret/**'),
    allow('acme', 'role:admin', 'acme-*', '**'),
    deny('acme', 'role:admin', 'acme-api', '**/secret/**'),
    allow('acme', user('frank'), 'acme-web-legacy', 'src/*.ts'),
    allow('acme', user('frank'), 'acme-web', 'Src/**'),
    allow('acme', 'role:auditor', 'acme-???', '**/*.md'),
    allow('acme', 'key:ci-bot', 'acme-*', '**'),
    allow('acme', 'group:Eng', 'acme-api', '**'),
    allow('acme', `user:${MATRIX_FOREIGN_ISSUER}#alice`, 'acme-api', '**'),
    allow('globex', 'role:engineer', 'globex-core', 'src/**'),
    deny('globex', 'group:eng', 'globex-core', 'src/secret/**'),
    allow('globex', 'role:reader', 'globex-core', 'docs/**'),
    allow('globex', 'role:admin', 'globex-*', '**'),
    deny('globex', 'role:admin', 'globex-core', 'hr/**'),
    allow('initech', 'role:admin', 'initech-*', '**'),
  ];
  return { memberships, rules };
}

/** The fixed permission-matrix world, its user rules bound to `issuer` (the issuer the test's tokens carry). */
export function createMatrixWorld(issuer: string): MatrixWorld {
  return { issuer, tenants: ['acme', 'globex', 'initech'], repos: REPOS, users: USERS, ...policy(issuer) };
}

/** The reference principal of one of the world's users, as the trusted issuer would vouch for them. */
export function matrixPrincipal(world: MatrixWorld, user: MatrixUser): ReferencePrincipal {
  return { issuer: world.issuer, subject: user.subject, tenant: user.tenant, groups: user.groups, roles: user.roles };
}

/** The token claims of every user, for a test to sign with its own issuer. */
export function matrixTokenClaims(world: MatrixWorld): MatrixTokenClaims[] {
  return world.users.map(({ subject, tenant, groups, roles }) => ({ subject, tenant, groups, roles }));
}
