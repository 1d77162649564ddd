import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { classifyPath } from './classify-path.js';

const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((name) => name !== '.' && name !== '..');

describe('classifyPath', () => {
  it('skips anything under a vendored directory, at any depth', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 4 }),
        fc.constantFrom('node_modules', 'vendor', 'dist'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        (before, vendored, after) => {
          expect(classifyPath([...before, vendored, ...after].join('/'))).toBe('vendored');
        },
      ),
    );
  });

  it('keeps ordinary source files', () => {
    expect(classifyPath('src/dist_utils.py')).toBeNull();
    expect(classifyPath('lib/vendor.go')).toBeNull();
    expect(classifyPath('yarn.lock')).toBe('lockfile');
    expect(classifyPath('assets/logo.PNG')).toBe('binary');
    expect(classifyPath('api/service.pb.go')).toBe('generated');
  });
});
