import { expect, it } from '@jest/globals';
import { createProgressThrottle } from './progress-throttle.js';

it('passes the first report of each phase and then at most one per interval', () => {
  const throttle = createProgressThrottle(500);
  const passed = (
    [
      ['indexing', 0],
      ['indexing', 100],
      ['indexing', 499],
      ['indexing', 500],
      ['indexing', 700],
      ['embedding', 710],
      ['embedding', 900],
      ['embedding', 1_210],
    ] as const
  ).filter(([phase, at]) => throttle(phase, at));
  expect(passed).toEqual([
    ['indexing', 0],
    ['indexing', 500],
    ['embedding', 710],
    ['embedding', 1_210],
  ]);
});
