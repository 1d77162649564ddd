import { expect, it } from '@jest/globals';
import { etaSeconds } from './eta-seconds.js';

it('divides what is left by the rate, and says 0 while the total or the rate is unknown', () => {
  expect(etaSeconds(100, 1_000, 20)).toBe(45);
  expect(etaSeconds(1_000, 1_000, 20)).toBe(0);
  expect(etaSeconds(10, 0, 20)).toBe(0);
  expect(etaSeconds(10, 100, 0)).toBe(0);
});
