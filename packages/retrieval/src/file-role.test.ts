import { describe, expect, it } from '@jest/globals';
import { fileRole } from './file-role.js';

describe('fileRole', () => {
  it('tells source from tests, docs, config, fixtures and examples', () => {
    expect(fileRole('sympy/core/basic.py')).toBe('source');
    expect(fileRole('sympy/core/tests/test_basic.py')).toBe('test');
    expect(fileRole('pkg/handler_test.go')).toBe('test');
    expect(fileRole('src/app.spec.ts')).toBe('test');
    expect(fileRole('docs/index.rst')).toBe('docs');
    expect(fileRole('CONTRIBUTING.md')).toBe('docs');
    expect(fileRole('.github/ISSUE_TEMPLATE/bug.yml')).toBe('config');
    expect(fileRole('ci/requirements/environment.yml')).toBe('config');
    expect(fileRole('tests/fixtures/data.py')).toBe('fixture');
    expect(fileRole('examples/demo.py')).toBe('example');
  });
});
