import { describe, expect, it } from '@jest/globals';
import { formatDenseStart, formatProgress, formatSeconds } from './format-progress.js';

describe('formatProgress', () => {
  it('counts files while indexing, with the rate and the time left', () => {
    expect(formatProgress({ repo: 'app', phase: 'indexing', done: 120, total: 357, perSecond: 45.2 })).toBe(
      'indexing app: files 120/357, 45.2 files/s, about 5 s left',
    );
  });

  it('counts chunks embedded once the snapshot committed, and leaves out what is not known yet', () => {
    expect(formatProgress({ repo: 'app', phase: 'embedding', done: 300, total: 1_036, perSecond: 19.1 }, 1_781)).toBe(
      'embedding app: 1,781 chunks, embedded 300/1,036, 19.1 chunks/s, about 39 s left',
    );
    expect(formatProgress({ repo: 'app', phase: 'embedding', done: 0, total: 0, perSecond: 0 })).toBe(
      'embedding app: embedded 0',
    );
  });

  it('shows a hostile repository name escaped, never as terminal controls', () => {
    expect(formatProgress({ repo: 'a\x1b[2Jb', phase: 'indexing', done: 1, total: 2, perSecond: 0 })).toBe(
      'indexing "a\\u001b[2Jb": files 1/2',
    );
  });
});

describe('formatDenseStart', () => {
  it('says how many chunks, with which model and about how long, when known', () => {
    expect(
      formatDenseStart({ repo: 'app', phase: 'embedding', done: 36, total: 1_036, perSecond: 20 }, 'onnx:bge-small'),
    ).toBe('embedding 1,000 chunks in the background with onnx:bge-small (about 50 s)');
    expect(formatDenseStart(null, null)).toBe('embedding its chunks in the background');
  });
});

describe('durations', () => {
  it('reads as people say it', () => {
    expect([8.4, 125, 3_780, 7_200].map(formatSeconds)).toEqual(['8 s', '2 min 5 s', '1 h 3 min', '2 h']);
  });
});
