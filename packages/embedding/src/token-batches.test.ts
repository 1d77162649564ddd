import { describe, expect, it } from '@jest/globals';
import { tokenBatches } from './token-batches.js';

describe('tokenBatches', () => {
  it('orders by token count, not by position, keeping ties in input order', () => {
    expect(tokenBatches([30, 5, 12, 5, 40], { maxItems: 2, maxPaddedTokens: 1000 })).toEqual([[1, 3], [2, 0], [4]]);
  });

  it('caps the padded size: many short texts share a batch, long ones go alone', () => {
    const counts = [10, 10, 10, 10, 300, 300];
    expect(tokenBatches(counts, { maxItems: 64, maxPaddedTokens: 512 })).toEqual([[0, 1, 2, 3], [4], [5]]);
  });

  it('keeps a text longer than the budget in a batch of its own', () => {
    expect(tokenBatches([900, 3], { maxItems: 8, maxPaddedTokens: 512 })).toEqual([[1], [0]]);
  });

  it('covers every index exactly once', () => {
    const counts = Array.from({ length: 100 }, (_, i) => (i * 37) % 97);
    const flat = tokenBatches(counts, { maxItems: 7, maxPaddedTokens: 400 }).flat();
    expect([...flat].sort((a, b) => a - b)).toEqual(counts.map((_, i) => i));
  });

  it('returns no batch for no text', () => {
    expect(tokenBatches([], { maxItems: 4, maxPaddedTokens: 100 })).toEqual([]);
  });
});
