import { describe, expect, it } from '@jest/globals';
import { analyzeQuery } from './analyze-query.js';
import { DEFAULT_WEIGHTS, rankChunks } from './rank.js';

describe('rankChunks', () => {
  it('ranks a chunk of comments only below code with the same evidence', () => {
    const analysis = analyzeQuery('retry the upload');
    const ranked = rankChunks(
      [
        { rowid: 1, repoId: 1, path: 'src/upload.py', symbol: null, lexical: 5, commentOnly: true },
        { rowid: 2, repoId: 1, path: 'src/upload.py', symbol: 'retry', lexical: 5 },
      ],
      analysis,
    );
    expect(ranked.map((item) => item.evidence.rowid)).toEqual([2, 1]);
    expect(ranked[1]!.score).toBeCloseTo(ranked[0]!.score * DEFAULT_WEIGHTS.commentOnly);
  });

  it('ranks a chunk of imports only below code with the same evidence', () => {
    const analysis = analyzeQuery('websocket upgrade');
    const ranked = rankChunks(
      [
        { rowid: 1, repoId: 1, path: 'src/lib.rs', symbol: null, lexical: 5, importOnly: true },
        { rowid: 2, repoId: 1, path: 'src/ws.rs', symbol: 'upgrade', lexical: 5 },
      ],
      analysis,
    );
    expect(ranked.map((item) => item.evidence.rowid)).toEqual([2, 1]);
    expect(ranked[1]!.score).toBeCloseTo(ranked[0]!.score * DEFAULT_WEIGHTS.importOnly);
  });
});
