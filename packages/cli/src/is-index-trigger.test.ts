import { describe, expect, it } from '@jest/globals';
import ignore from 'ignore';
import { isIndexTrigger } from './is-index-trigger.js';

const rules = ignore().add('dist/\n*.log\n').add('secret/\n');

describe('isIndexTrigger', () => {
  it.each([
    ['src/app.ts', true],
    ['README.md', true],
    ['.gitignore', true],
    ['.conexusignore', true],
    ['.git/HEAD', true],
    ['.git/refs/heads/feature', true],
    ['.git/packed-refs', true],
    ['.git/index', false],
    ['.git/index.lock', false],
    ['.git/objects/ab/cdef', false],
    ['.git/logs/HEAD', false],
    ['.git', false],
    ['node_modules/left-pad/index.js', false],
    ['packages/web/node_modules/x/y.js', false],
    ['dist/main.js', false],
    ['src/debug.log', false],
    ['secret/key.pem', false],
    ['', false],
    ['../elsewhere.ts', false],
  ])('%s → %s', (path, expected) => {
    expect(isIndexTrigger(path, rules)).toBe(expected);
  });
});
