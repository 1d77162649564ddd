import { describe, expect, it } from '@jest/globals';
import { localizationMetrics } from './localization-metrics.js';

describe('localizationMetrics', () => {
  it('counts a row as accurate at k only when every gold file is in the top k', () => {
    const metrics = localizationMetrics([
      { goldFiles: ['a', 'b'], rankedFiles: ['a', 'x', 'b'], goldSymbols: ['a:F.f'], rankedSymbols: ['a:F.f'] },
      { goldFiles: ['c'], rankedFiles: ['x', 'y', 'z', 'w', 'v', 'c'], goldSymbols: null, rankedSymbols: [] },
    ]);
    expect(metrics.acc).toEqual({ 1: 0, 3: 50, 5: 50, 10: 100 });
    expect(metrics.recall[1]).toBe(25);
    expect(metrics.mrr).toBeCloseTo((1 + 1 / 6) / 2, 3);
    expect(metrics.symbolRows).toBe(1);
    expect(metrics.symbolAcc10).toBe(100);
  });
});
