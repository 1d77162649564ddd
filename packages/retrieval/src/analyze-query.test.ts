import { describe, expect, it } from '@jest/globals';
import { analyzeQuery } from './analyze-query.js';

describe('analyzeQuery', () => {
  it('finds identifiers, calls, dotted paths and stack-trace frames', () => {
    const analysis = analyzeQuery(
      'Calling `parse_expr` fails in sympy.parsing.sympy_parser\n' +
        'File "/usr/lib/sympy/core/basic.py", line 12, in subs\n  x.getValue()',
    );
    expect(analysis.identifiers).toEqual(expect.arrayContaining(['parse_expr', 'subs', 'getValue', 'sympy_parser']));
    expect(analysis.pathHints).toEqual(
      expect.arrayContaining(['usr/lib/sympy/core/basic.py', 'sympy/parsing/sympy_parser']),
    );
  });

  it('drops stopwords from terms and notices requests for tests', () => {
    const analysis = analyzeQuery('The test for the parser is failing');
    expect([...analysis.terms.keys()]).toEqual(['test', 'parser', 'failing']);
    expect(analysis.wantsTests).toBe(true);
    expect(analysis.wantsDocs).toBe(false);
  });

  it('reads the package scope of a commit subject as a path hint', () => {
    expect(analyzeQuery('caddyhttp: allocate the request UUID lazily').pathHints).toContain('caddyhttp');
    expect(analyzeQuery('net/http, cmd: fix shutdown').pathHints).toEqual(expect.arrayContaining(['net/http', 'cmd']));
    expect(analyzeQuery('Calling x: it fails').pathHints).not.toContain('Calling x');
  });

  it('asks for tests only in the title or explicitly, not when a body mentions them in passing', () => {
    expect(analyzeQuery('Fix crash in parser\n\nAdded a regression test.').wantsTests).toBe(false);
    expect(analyzeQuery('Flaky test in the scheduler').wantsTests).toBe(true);
    expect(analyzeQuery('Crash on start\n\nWhere are the tests for the loader?').wantsTests).toBe(true);
    expect(analyzeQuery('x.caddyfiletest').wantsTests).toBe(false);
  });
});
