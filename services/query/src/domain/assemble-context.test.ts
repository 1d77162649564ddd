import { describe, expect, it } from '@jest/globals';
import { estimateTokens } from '@conexus/kernel';
import { assembleContext } from './assemble-context.js';

const piece = (path: string, startLine: number, lines: string[], score = 1) => ({
  repo: 'r',
  path,
  startLine,
  endLine: startLine + lines.length - 1,
  score,
  text: `${lines.join('\n')}\n`,
});

describe('assembleContext', () => {
  it('merges overlapping pieces of one file in rank order', () => {
    const result = assembleContext(
      [piece('a.ts', 1, ['a1', 'a2', 'a3'], 0.9), piece('b.ts', 1, ['b1'], 0.8), piece('a.ts', 3, ['a3', 'a4'], 0.5)],
      1000,
    );
    expect(result.pieces).toHaveLength(2);
    expect(result.pieces[0]).toMatchObject({
      path: 'a.ts',
      startLine: 1,
      endLine: 4,
      score: 0.9,
      text: 'a1\na2\na3\na4\n',
    });
  });

  it('takes the whole enclosing symbol when it fits, and absorbs its other parts', () => {
    const whole = { startLine: 1, endLine: 3, text: 'def f(a, b):\n  total = a + b\n  return total\n' };
    const first = { ...piece('f.py', 2, ['  total = a + b', '  return total'], 0.9), expansion: whole };
    const second = { ...piece('f.py', 1, ['def f(a, b):'], 0.5), expansion: whole };
    const roomy = assembleContext([first, second, piece('g.py', 1, ['g'])], 1000);
    expect(roomy.pieces.map((kept) => [kept.path, kept.startLine, kept.endLine])).toEqual([
      ['f.py', 1, 3],
      ['g.py', 1, 1],
    ]);
    expect(roomy.pieces[0]).not.toHaveProperty('expansion');
    const tight = assembleContext([first], estimateTokens(first.text));
    expect(tight.pieces[0]).toMatchObject({ startLine: 2, endLine: 3 });
    const quarter = assembleContext([first], estimateTokens(whole.text) * 2);
    expect(quarter.pieces[0]).toMatchObject({ startLine: 2, endLine: 3 });
    const muchLarger = {
      ...piece('h.py', 1, ['x'], 1),
      expansion: { startLine: 1, endLine: 3, text: 'def h():\n  x\n  return something_long_enough\n' },
    };
    expect(assembleContext([muchLarger], 1000).pieces[0]).toMatchObject({ startLine: 1, endLine: 1 });
  });

  it('passes pieces through unchanged without a budget', () => {
    const pieces = [piece('a.ts', 1, ['a1', 'a2']), piece('a.ts', 2, ['a2'])];
    expect(assembleContext(pieces, 0).pieces).toEqual(pieces);
  });

  it('stops at the budget and cuts the last piece at a line boundary', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line number ${i} of the function body`);
    const result = assembleContext(
      [piece('a.ts', 1, ['short']), piece('b.ts', 10, long), piece('c.ts', 1, ['never'])],
      60,
    );
    expect(result.tokens).toBeLessThanOrEqual(60);
    expect(result.pieces.map((kept) => kept.path)).toEqual(['a.ts', 'b.ts']);
    const cut = result.pieces[1]!;
    expect(cut.text.endsWith('\n')).toBe(true);
    expect(
      cut.text
        .split('\n')
        .slice(0, -1)
        .every((line) => long.includes(line)),
    ).toBe(true);
    expect(cut.endLine - cut.startLine + 1).toBe(cut.text.split('\n').length - 1);
    expect(result.tokens).toBe(result.pieces.reduce((sum, kept) => sum + estimateTokens(kept.text), 0));
  });
});
