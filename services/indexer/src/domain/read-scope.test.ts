import { describe, expect, it } from '@jest/globals';
import { EVERYTHING, globMatches, pathReadable, readableRepos, type ReadScope } from './read-scope.js';

describe('read scope', () => {
  const scope: ReadScope = { everything: false, repos: [{ repo: 'web', allowPaths: ['src/**'], denyPaths: ['src/secrets/**'] }] };

  it('keeps only readable repositories', () => {
    expect(readableRepos(scope, [], ['web', 'billing'])).toEqual(['web']);
    expect(readableRepos(scope, ['billing'], ['web', 'billing'])).toEqual([]);
    expect(readableRepos(EVERYTHING, [], ['web', 'billing'])).toEqual(['web', 'billing']);
  });

  it('lets deny rules win over allow rules', () => {
    expect(pathReadable(scope, 'web', 'src/app.ts')).toBe(true);
    expect(pathReadable(scope, 'web', 'src/secrets/key.ts')).toBe(false);
    expect(pathReadable(scope, 'web', 'README.md')).toBe(false);
    expect(pathReadable(scope, 'billing', 'src/app.ts')).toBe(false);
  });

  it('matches globs segment by segment', () => {
    expect(globMatches('src/*.ts', 'src/a.ts')).toBe(true);
    expect(globMatches('src/*.ts', 'src/x/a.ts')).toBe(false);
    expect(globMatches('**/test_*.py', 'test_a.py')).toBe(true);
    expect(globMatches('**/test_*.py', 'a/b/test_a.py')).toBe(true);
    expect(globMatches('docs/**', 'docs/a/b.md')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });
});
