import { describe, expect, it } from '@jest/globals';
import { pathReadable, repoVisible } from '@conexus/access';
import { compileScope } from './compile-scope.js';
import { createRuleIndex } from './create-rule-index.js';
import type { Rule } from './policy-entry.js';

const rule = (subject: string, repo: string, path: string, effect: 'allow' | 'deny', tenant = 'acme'): Rule => ({
  kind: 'rule',
  tenant,
  subject,
  repo,
  path,
  effect,
});

describe('compileScope', () => {
  const index = createRuleIndex([
    rule('group:eng', 'web*', 'src/**', 'allow'),
    rule('group:eng', 'web', 'src/secret/**', 'deny'),
    rule('group:ops', 'web', '**', 'allow'),
    rule('group:eng', '**', '**/*.pem', 'deny'),
    rule('group:eng', 'api', '**', 'deny'),
    rule('group:eng', '**', '**', 'allow', 'globex'),
  ]);
  const owned = ['web', 'web-legacy', 'api'];
  const scopeOf = (subjects: string[]) => compileScope(owned, index.rulesOf('acme', subjects));

  it('records per owned repository exactly the rules its enforcer holds for the subjects', () => {
    expect(scopeOf(['group:eng'])).toEqual({
      everything: false,
      repos: [
        { repo: 'web', allowPaths: ['src/**'], denyPaths: ['src/secret/**', '**/*.pem'] },
        { repo: 'web-legacy', allowPaths: ['src/**'], denyPaths: ['**/*.pem'] },
      ],
      denies: [],
    });
    for (const subjects of [['group:eng'], ['group:ops'], ['group:eng', 'group:ops']]) {
      for (const repo of owned) {
        const held = index.rulesOver('acme', repo).filter((found) => subjects.includes(found.subject));
        const listed = scopeOf(subjects).repos.find((entry) => entry.repo === repo);
        const paths = (effect: string) =>
          held
            .filter((found) => found.effect === effect)
            .map((found) => found.path)
            .sort();
        if (paths('allow').length === 0) expect(listed).toBeUndefined();
        else
          expect({ allow: [...listed!.allowPaths].sort(), deny: [...listed!.denyPaths].sort() }).toEqual({
            allow: paths('allow'),
            deny: paths('deny'),
          });
      }
    }
  });

  it("leaves out repositories no rule allows, names with glob characters, and other tenants' rules", () => {
    const scope = scopeOf(['group:eng']);
    expect(repoVisible(scope, 'api')).toBe(false);
    expect(pathReadable(scope, 'web', 'src/a.ts')).toBe(true);
    expect(pathReadable(scope, 'web', 'src/secret/a.ts')).toBe(false);
    expect(pathReadable(scope, 'web-legacy', 'src/tls/a.pem')).toBe(false);
    expect(scopeOf(['group:qa']).repos).toEqual([]);
    expect(compileScope(['web*'], index.rulesOf('acme', ['group:eng'])).repos).toEqual([]);
  });

  it("indexes a tenant's rules by the repositories their globs match and by subject", () => {
    expect(index.rulesOver('acme', 'web-legacy').map((found) => found.path)).toEqual(['src/**', '**/*.pem']);
    expect(index.rulesOver('globex', 'web')).toHaveLength(1);
    expect(index.rulesOver('initech', 'web')).toEqual([]);
    expect(index.rulesOf('acme', ['group:ops', 'group:qa']).map((found) => found.repo)).toEqual(['web']);
  });
});
