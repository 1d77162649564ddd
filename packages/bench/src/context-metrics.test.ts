import { expect, it } from '@jest/globals';
import { contextOutcome, summarizeContext } from './context-metrics.js';

const piece = (path: string, startLine: number, lines: number, score: number) => ({
  repo: 'r',
  path,
  startLine,
  endLine: startLine + lines - 1,
  score,
  text: Array.from({ length: lines }, (_, i) => `line ${startLine + i} of ${path} with some code`).join('\n') + '\n',
});

it('counts tokens before the first gold file and recall within budgets, raw and assembled', () => {
  // Two overlapping chunks of a.py come first: raw spends tokens twice, assembled merges them.
  const pieces = [piece('a.py', 1, 20, 0.9), piece('a.py', 5, 20, 0.8), piece('gold.py', 1, 5, 0.7)];
  const outcome = contextOutcome(pieces, ['gold.py'], [300, 2000]);
  expect(outcome.tokensBeforeGold.raw).toBeGreaterThan(outcome.tokensBeforeGold.assembled!);
  expect(outcome.recall[2000]).toEqual({ raw: 1, assembled: 1 });
  const summary = summarizeContext(
    [outcome, contextOutcome([piece('x.py', 1, 3, 1)], ['gold.py'], [300, 2000])],
    [300, 2000],
  );
  expect(summary.tokensBeforeGold.raw.found).toBe(1);
  expect(summary.recall[2000]).toEqual({ raw: 50, assembled: 50 });
});
