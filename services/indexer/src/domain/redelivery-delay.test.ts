import { expect, it } from '@jest/globals';
import { redeliveryDelayMs } from './redelivery-delay.js';

it('doubles the wait on each failed delivery, caps it, and does not wait after the last', () => {
  const backoff = { firstDelayMs: 2_000, maxDelayMs: 10_000, maxDeliveries: 6 };
  expect([1, 2, 3, 4, 5, 6].map((delivery) => redeliveryDelayMs(delivery, backoff))).toEqual([
    2_000, 4_000, 8_000, 10_000, 10_000, 0,
  ]);
});
