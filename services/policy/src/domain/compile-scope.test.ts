import { describe, expect, it } from '@jest/globals';
import { pathReadable, repoVisible } from '@conexus/access';
import { compileScope } from './compile-scope.js';
import { createRuleIndex } from './create-rule-index.js';
import type { Rule } from './policy-entry.js';

const rule = (subject: string, repo: string, path: string, effect: 'allow' | 'deny', tenant = 'acme'): Rule => ({ kind: 'rule', tenant, subject, repo, path, effect });

describe('compileScope', () => {
  const index = createRuleIndex([
    rule('group:eng', 'web*', 'src/**', 'allow'),
    rule('group:eng', 'web', 'src/secret/**', 'deny'),
    rule('group:ops', 'web', '**', 'allow'),
    rule('group:eng', '**', '**/*.pem', 'deny'),
    rule('group:eng', 'api', '**', 'deny'),
    rule('group:eng', '**', '**', 'allow', 'globex'),
  ]);
  const scopeOf = (subjects: string[]) => compileScope(['web', 'web-legacy', 'api'], (repo) => index.rulesOver('acme', repo), new Set(subjects));

  it('records per owned repository exactly the rules its enforcer holds for the subjects', () => {
    expect(scopeOf(['group:eng'])).toEqual({
      everything: false,
      repos: [
        { repo: 'web', allowPaths: ['src/**'], denyPaths: ['src/secret/**', '**/*.pem'] },
        { repo: 'web-legacy', allowPaths: ['src/**'], denyPaths: ['**/*.pem'] },
      ],
      denies: [],
    });
  });

  it('leaves out repositories no rule allows, and other tenants\' rules', () => {
    const scope = scopeOf(['group:eng']);
    expect(repoVisible(scope, 'api')).toBe(false);
    expect(pathReadable(scope, 'web', 'src/a.ts')).toBe(true);
    expect(pathReadable(scope, 'web', 'src/secret/a.ts')).toBe(false);
    expect(pathReadable(scope, 'web-legacy', 'src/tls/a.pem')).toBe(false);
    expect(scopeOf(['group:qa']).repos).toEqual([]);
  });

  it('indexes a tenant\'s rules by the repositories their globs match', () => {
    expect(index.rulesOver('acme', 'web-legacy').map((found) => found.path)).toEqual(['src/**', '**/*.pem']);
    expect(index.rulesOver('globex', 'web')).toHaveLength(1);
    expect(index.rulesOver('initech', 'web')).toEqual([]);
  });
});
