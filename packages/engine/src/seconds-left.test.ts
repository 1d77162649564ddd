import { expect, it } from '@jest/globals';
import { secondsLeft } from './seconds-left.js';

it('knows the time left only with a total and a rate', () => {
  expect(secondsLeft({ done: 10, total: 110, perSecond: 20 })).toBe(5);
  expect(secondsLeft({ done: 1_000, total: 1_000, perSecond: 20 })).toBe(0);
  expect(secondsLeft({ done: 10, total: 0, perSecond: 20 })).toBeNull();
  expect(secondsLeft({ done: 10, total: 110, perSecond: 0 })).toBeNull();
});
