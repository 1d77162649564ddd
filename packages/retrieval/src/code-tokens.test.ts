import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { codeTokens, identifierParts, pathTokens } from './code-tokens.js';

describe('identifierParts', () => {
  it('splits camelCase, acronyms and snake_case', () => {
    expect(identifierParts('getHTTPResponse_code')).toEqual(['get', 'http', 'response', 'code']);
    expect(identifierParts('parse_expr')).toEqual(['parse', 'expr']);
    expect(identifierParts('XMLHttpRequest')).toEqual(['xml', 'http', 'request']);
  });
});

describe('codeTokens', () => {
  it('keeps whole identifiers beside their parts', () => {
    expect(codeTokens('def parse_expr(s): return sympify(s)')).toEqual([
      'def',
      'parse_expr',
      'parse',
      'expr',
      'return',
      'sympify',
    ]);
    expect(codeTokens('user.getName()')).toEqual(['user', 'getname', 'get', 'name']);
  });

  it('emits only lowercase tokens without separators, for any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const token of codeTokens(text)) {
          expect(token).toBe(token.toLowerCase());
          expect(token).not.toMatch(/[\s.()/\\-]/);
          expect(token.length).toBeGreaterThan(1);
        }
      }),
    );
  });

  it('is stable under surrounding punctuation', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/), (identifier) => {
        expect(codeTokens(`(${identifier});`)).toEqual(codeTokens(identifier));
      }),
    );
  });
});

describe('pathTokens', () => {
  it('splits directories, extensions and file names', () => {
    expect(pathTokens('sympy/core/basic_ops.py')).toEqual(['sympy', 'core', 'basic_ops', 'basic', 'ops', 'py']);
  });
});
