import { describe, expect, it } from '@jest/globals';
import { poolHiddenStates } from './pool-hidden-states.js';

// Two texts, width 3 tokens, 2 dims: text 0 has 2 real tokens, text 1 has 3.
const hidden = Float32Array.from([3, 4, 1, 1, 99, 99, 0, 2, 6, 0, 0, 4]);

describe('poolHiddenStates', () => {
  it('takes the first token of each text for cls pooling, at unit length', () => {
    const [first, second] = poolHiddenStates(hidden, 3, [2, 3], 'cls');
    expect(first![0]).toBeCloseTo(0.6, 6);
    expect(first![1]).toBeCloseTo(0.8, 6);
    expect([...second!]).toEqual([0, 1]);
  });

  it('averages only the real tokens for mean pooling, ignoring padding', () => {
    const [first, second] = poolHiddenStates(hidden, 3, [2, 3], 'mean');
    // text 0: mean of (3,4) and (1,1) = (2, 2.5); the padded (99,99) must not count.
    expect(first![0]! / first![1]!).toBeCloseTo(2 / 2.5, 6);
    // text 1: mean of (0,2), (6,0), (0,4) = (2, 2).
    expect(second![0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(second![1]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
