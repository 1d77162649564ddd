import { describe, expect, it } from '@jest/globals';
import {
  effectiveSubjects,
  isCanonicalPath,
  referenceGlob,
  referenceReadable,
  type ReferenceMembership,
  type ReferencePrincipal,
  type ReferenceRule,
} from './reference-access.js';

// Each row: glob, text, expected — written from the specification, not from any implementation.
const GLOBS: [string, string, boolean][] = [
  ['**/x.ts', 'x.ts', true],
  ['**/x.ts', 'a/b/x.ts', true],
  ['**/x.ts', 'ax.ts', false],
  ['**/x.ts', 'a/bx.ts', false],
  ['**/x.ts', 'x.tsx', false],
  ['src/**', 'src/a', true],
  ['src/**', 'src/a/b', true],
  ['src/**', 'src', false],
  ['src/**', 'srcx/a', false],
  ['src/**', 'Src/a', false],
  ['src/**/x', 'src/x', true],
  ['src/**/x', 'src/a/b/x', true],
  ['src/**/x', 'src/ax', false],
  ['src/**/x', 'srcx', false],
  ['src/**/x', 'src/a/x/y', false],
  ['**', '', true],
  ['**', 'a/b/c', true],
  ['**.ts', 'a/b.ts', true],
  ['x**/y', 'xa/b/y', true],
  ['**/secret/**', 'secret/a', true],
  ['**/secret/**', 'src/secret/keys.ts', true],
  ['**/secret/**', 'deploy/prod/secret/values.ts', true],
  ['**/secret/**', 'src/secret-notes.ts', false],
  ['**/secret/**', 'mysecret/a', false],
  ['**/secret/**', 'src%2fsecret%2fkeys.ts', false],
  ['a/**/b/**/c', 'a/b/c', true],
  ['a/**/b/**/c', 'a/x/b/y/z/c', true],
  ['a/**/b/**/c', 'a/x/c', false],
  ['*', '', true],
  ['*', 'abc', true],
  ['*', 'a/b', false],
  ['src/*.ts', 'src/main.ts', true],
  ['src/*.ts', 'src/a/main.ts', false],
  ['src/*.ts', 'src/.ts', true],
  ['*/main.ts', 'src/main.ts', true],
  ['*/main.ts', 'a/src/main.ts', false],
  ['?', 'a', true],
  ['?', '/', false],
  ['?', 'ab', false],
  ['?', '', false],
  ['a?c', 'abc', true],
  ['a?c', 'a/c', false],
  ['acme-???', 'acme-web', true],
  ['acme-???', 'acme-api', true],
  ['acme-???', 'acme-web-legacy', false],
  ['acme-web', 'acme-web', true],
  ['acme-web', 'acme-web-legacy', false],
  ['acme-web', 'Acme-web', false],
  ['acme-web', 'acme-we', false],
  ['acme-*', 'acme-web-legacy', true],
  ['acme-*', 'globex-core', false],
  ['a.b', 'a.b', true],
  ['a.b', 'axb', false],
  ['[ab]', 'a', false],
  ['[ab]', '[ab]', true],
  ['a+', 'aa', false],
  ['a+', 'a+', true],
  ['(x)|y', '(x)|y', true],
  ['(x)|y', 'y', false],
  ['$^', '$^', true],
  ['a{b,c}', 'ab', false],
  ['a{b,c}', 'a{b,c}', true],
  ['src%2f*', 'src%2fmain.ts', true],
  ['src/**', 'src%2fmain.ts', false],
  ['README.md', 'README.md', true],
  ['README.md', 'readme.md', false],
  ['README.md', 'sub/README.md', false],
  ['**/*.md', 'README.md', true],
  ['**/*.md', 'docs/internal/plan.md', true],
  ['**/*.md', 'docs/plan.md.ts', false],
];

describe('referenceGlob', () => {
  it.each(GLOBS)('%j against %j is %s', (glob, text, expected) => {
    expect(referenceGlob(glob, text)).toBe(expected);
  });
});

const PATHS: [string, boolean][] = [
  ['src/main.ts', true],
  ['README.md', true],
  ['a/b/c/d/e.ts', true],
  ['src%2fmain.ts', true],
  ['.env', true],
  ['src/..x/y', true],
  ['a/...', true],
  ['', false],
  ['/src/main.ts', false],
  ['src/main.ts/', false],
  ['/', false],
  ['src//main.ts', false],
  ['./src/main.ts', false],
  ['src/./main.ts', false],
  ['src/../src/main.ts', false],
  ['..', false],
  ['.', false],
  ['src/..', false],
  ['src\\main.ts', false],
  ['src/main\0.ts', false],
];

describe('isCanonicalPath', () => {
  it.each(PATHS)('%j is canonical: %s', (path, expected) => {
    expect(isCanonicalPath(path)).toBe(expected);
  });
});

const ISSUER = 'https://issuer.test';
const who = (subject: string, tenant: string, groups: string[] = [], roles: string[] = []): ReferencePrincipal => ({
  issuer: ISSUER,
  subject,
  tenant,
  groups,
  roles,
});
const rule = (
  tenant: string,
  subject: string,
  repo: string,
  path: string,
  effect: 'allow' | 'deny',
): ReferenceRule => ({ tenant, subject, repo, path, effect });

const MEMBERSHIPS: ReferenceMembership[] = [
  { tenant: 't1', member: 'group:eng', role: 'role:reader' },
  { tenant: 't1', member: 'role:lead', role: 'role:dev' },
  { tenant: 't1', member: 'role:dev', role: 'role:reader' },
  { tenant: 't1', member: `user:${ISSUER}#uma`, role: 'role:lead' },
  { tenant: 't1', member: 'role:loop-a', role: 'role:loop-b' },
  { tenant: 't1', member: 'role:loop-b', role: 'role:loop-a' },
  { tenant: 't1', member: 'key:ci', role: 'role:admin' },
  { tenant: 't2', member: 'group:eng', role: 'role:admin' },
  { tenant: 't2', member: `user:${ISSUER}#amy`, role: 'role:admin' },
];

const RULES: ReferenceRule[] = [
  rule('t1', 'role:reader', 'web', 'docs/**', 'allow'),
  rule('t1', 'role:dev', 'api', 'src/**', 'allow'),
  rule('t1', 'group:contractors', 'api', 'src/secret/**', 'deny'),
  rule('t1', 'role:admin', '*', '**', 'allow'),
  rule('t1', 'role:admin', 'api', '**/secret/**', 'deny'),
  rule('t1', `user:${ISSUER}#amy`, 'web', 'src/*.ts', 'allow'),
  rule('t1', 'group:Eng', 'api', '**', 'allow'),
  rule('t1', 'user:https://other.test#amy', 'api', '**', 'allow'),
  rule('t1', 'role:loop-a', 'loop', '**', 'allow'),
  rule('t2', 'role:reader', 'api', '**', 'allow'),
  rule('t2', 'group:eng', 'web', '**', 'allow'),
];

// Each row: why, principal, repo, path, expected.
const DECISIONS: [string, ReferencePrincipal, string, string, boolean][] = [
  ['default deny: no subjects match', who('nobody', 't1'), 'web', 'docs/a.md', false],
  ['default deny: matching subject, no rule for the path', who('amy', 't1'), 'web', 'docs/a.md', false],
  ['user rule allows', who('amy', 't1'), 'web', 'src/main.ts', true],
  ['user rule `*` stops at `/`', who('amy', 't1'), 'web', 'src/a/main.ts', false],
  ['user rule is bound to the issuer', who('amy', 't1'), 'api', 'src/x.ts', false],
  ['user rule is bound to the subject', who('amy2', 't1'), 'web', 'src/main.ts', false],
  ['group -> role membership', who('gus', 't1', ['eng']), 'web', 'docs/a.md', true],
  ['group name is case-sensitive', who('gus', 't1', ['Eng']), 'web', 'docs/a.md', false],
  ['rule subject is case-sensitive', who('gus', 't1', ['eng']), 'api', 'src/x.ts', false],
  ['exact-case group rule applies', who('gus', 't1', ['Eng']), 'api', 'src/x.ts', true],
  ['direct role from the token', who('dan', 't1', [], ['dev']), 'api', 'src/x.ts', true],
  ['role inherits transitively (lead -> dev -> reader)', who('lea', 't1', [], ['lead']), 'web', 'docs/a.md', true],
  ['user membership -> lead -> dev', who('uma', 't1'), 'api', 'src/x.ts', true],
  ['user membership -> lead -> dev -> reader', who('uma', 't1'), 'web', 'docs/a.md', true],
  ['inheritance does not run backwards', who('rex', 't1', [], ['reader']), 'api', 'src/x.ts', false],
  ['role cycles terminate', who('lou', 't1', [], ['loop-b']), 'loop', 'a', true],
  [
    'deny wins across subjects (group deny, role allow)',
    who('cal', 't1', ['contractors'], ['dev']),
    'api',
    'src/secret/k.ts',
    false,
  ],
  ['the group deny leaves the rest allowed', who('cal', 't1', ['contractors'], ['dev']), 'api', 'src/main.ts', true],
  ['deny wins for the same subject', who('ada', 't1', [], ['admin']), 'api', 'deep/x/secret/k.ts', false],
  ['admin allow elsewhere', who('ada', 't1', [], ['admin']), 'web', 'deep/x/secret/k.ts', true],
  ['deny glob needs a whole `secret` segment', who('ada', 't1', [], ['admin']), 'api', 'src/secret-notes.ts', true],
  ['key members never apply to people', who('kim', 't1'), 'web', 'a.ts', false],
  ['tenant isolation: t2 membership does not apply in t1', who('amy', 't1', ['eng']), 'api', 'README.md', false],
  ['tenant isolation: t1 rules do not apply in t2', who('tia', 't2', [], ['reader']), 'web', 'docs/a.md', false],
  ['tenant isolation: t1 memberships do not apply in t2', who('tia', 't2', [], ['dev']), 'api', 'x.ts', false],
  ['t2 rule for t2 principal', who('tia', 't2', [], ['reader']), 'api', 'x.ts', true],
  ['t2 group rule applies only in t2', who('gus', 't2', ['eng']), 'web', 'src/main.ts', true],
  ['same group in t1 does not get the t2 rule', who('gus', 't1', ['eng']), 'web', 'src/main.ts', false],
  ['path match is case-sensitive', who('gus', 't1', ['eng']), 'web', 'Docs/a.md', false],
  ['repo match is exact', who('gus', 't1', ['eng']), 'web-legacy', 'docs/a.md', false],
  ['repo match is case-sensitive', who('gus', 't1', ['eng']), 'Web', 'docs/a.md', false],
  ['%2f is literal, not a separator', who('dan', 't1', [], ['dev']), 'api', 'src%2fx.ts', false],
  [
    '%2f cannot dodge a deny either: it simply names another file',
    who('ada', 't1', [], ['admin']),
    'api',
    'src%2fsecret%2fk.ts',
    true,
  ],
  ['non-canonical: leading slash', who('ada', 't1', [], ['admin']), 'web', '/a.ts', false],
  ['non-canonical: trailing slash', who('ada', 't1', [], ['admin']), 'web', 'src/', false],
  ['non-canonical: empty', who('ada', 't1', [], ['admin']), 'web', '', false],
  ['non-canonical: double slash', who('ada', 't1', [], ['admin']), 'web', 'src//a.ts', false],
  ['non-canonical: dot segment', who('ada', 't1', [], ['admin']), 'web', './a.ts', false],
  ['non-canonical: dot-dot segment', who('ada', 't1', [], ['admin']), 'web', 'src/../a.ts', false],
  ['non-canonical: backslash', who('ada', 't1', [], ['admin']), 'web', 'src\\a.ts', false],
  ['non-canonical: NUL', who('ada', 't1', [], ['admin']), 'web', 'a\0.ts', false],
  ['non-canonical never beats a deny-free allow', who('gus', 't1', ['eng']), 'web', 'docs/../docs/a.md', false],
];

describe('referenceReadable', () => {
  it.each(DECISIONS)('%s', (_why, principal, repo, path, expected) => {
    expect(referenceReadable(principal, MEMBERSHIPS, RULES, repo, path)).toBe(expected);
  });

  it('collects the direct subjects and the reachable roles of the own tenant only', () => {
    const held = effectiveSubjects(who('uma', 't1', ['eng'], ['x']), MEMBERSHIPS);
    expect([...held].sort()).toEqual(
      ['group:eng', 'role:dev', 'role:lead', 'role:reader', 'role:x', `user:${ISSUER}#uma`].sort(),
    );
  });
});
