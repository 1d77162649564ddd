import { describe, expect, it } from '@jest/globals';
import { segmentsToChunks } from './line-segments.js';

const limits = { maxTokens: 400, minTokens: 1 };

describe('segmentsToChunks', () => {
  it('ends a symbol whose node runs onto the row after the final newline on the last line', () => {
    const lines = ['#define ONE 1', 'int two(void) { return 2; }'];
    const segments = [
      { start: 0, end: 1, symbol: 'ONE', kind: 'function' as const, signature: '#define ONE 1' },
      { start: 1, end: 3, symbol: 'two', kind: 'function' as const, signature: 'int two(void) { return 2; }' },
    ];
    expect(
      segmentsToChunks('a.c', lines, segments, limits).map(({ startLine, endLine, symbol, text }) => ({
        startLine,
        endLine,
        symbol,
        text,
      })),
    ).toEqual([
      { startLine: 1, endLine: 1, symbol: 'ONE', text: lines[0] },
      { startLine: 2, endLine: 2, symbol: 'two', text: lines[1] },
    ]);
  });
});
