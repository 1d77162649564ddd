import { describe, expect, it } from '@jest/globals';
import {
  EVERYTHING,
  globMatches,
  isCanonicalPath,
  NOTHING,
  pathReadable,
  readableRepos,
  repoVisible,
  type ReadScope,
} from './index.js';

describe('read scope', () => {
  const scope: ReadScope = {
    everything: false,
    repos: [
      { repo: 'web', allowPaths: ['src/**'], denyPaths: ['src/secrets/**'] },
      { repo: 'acme-*', allowPaths: ['docs/**'], denyPaths: [] },
    ],
    denies: [{ repo: '**', path: '**/*.pem' }],
  };

  it('keeps only readable repositories', () => {
    expect(readableRepos(scope, [], ['web', 'billing', 'acme-api'])).toEqual(['web', 'acme-api']);
    expect(readableRepos(scope, ['billing'], ['web', 'billing'])).toEqual([]);
    expect(readableRepos(EVERYTHING, [], ['web', 'billing'])).toEqual(['web', 'billing']);
    expect(readableRepos(NOTHING, [], ['web'])).toEqual([]);
  });

  it('lets deny rules win over allow rules, from any rule', () => {
    expect(pathReadable(scope, 'web', 'src/app.ts')).toBe(true);
    expect(pathReadable(scope, 'web', 'src/secrets/key.ts')).toBe(false);
    expect(pathReadable(scope, 'web', 'src/tls/server.pem')).toBe(false);
    expect(pathReadable(scope, 'web', 'README.md')).toBe(false);
    expect(pathReadable(scope, 'billing', 'src/app.ts')).toBe(false);
    expect(pathReadable(scope, 'acme-api', 'docs/a.md')).toBe(true);
    expect(pathReadable(scope, 'acme-api', 'src/a.ts')).toBe(false);
  });

  it('hides a repository denied as a whole', () => {
    const denied: ReadScope = { ...scope, denies: [{ repo: 'web', path: '**' }] };
    expect(repoVisible(denied, 'web')).toBe(false);
    expect(pathReadable(denied, 'web', 'src/app.ts')).toBe(false);
  });

  it('never reads a path that is not in canonical form', () => {
    for (const path of [
      'src/../src/app.ts',
      './src/app.ts',
      'src//app.ts',
      '/src/app.ts',
      'src/app.ts/',
      'src\\app.ts',
      '',
      'src/./app.ts',
    ]) {
      expect(isCanonicalPath(path)).toBe(false);
      expect(pathReadable(scope, 'web', path)).toBe(false);
      expect(pathReadable(EVERYTHING, 'web', path)).toBe(false);
    }
    expect(isCanonicalPath('src/a%2fb.ts')).toBe(true);
  });

  it('matches globs segment by segment, case-sensitively', () => {
    expect(globMatches('src/*.ts', 'src/a.ts')).toBe(true);
    expect(globMatches('src/*.ts', 'src/x/a.ts')).toBe(false);
    expect(globMatches('**/test_*.py', 'test_a.py')).toBe(true);
    expect(globMatches('**/test_*.py', 'a/b/test_a.py')).toBe(true);
    expect(globMatches('docs/**', 'docs/a/b.md')).toBe(true);
    expect(globMatches('docs/**', 'docs')).toBe(false);
    expect(globMatches('src/**/x', 'src/x')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('Src/**', 'src/a')).toBe(false);
    expect(globMatches('web', 'web-legacy')).toBe(false);
  });
});
