import { describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState } from '@conexus/api';
import { describeIndexEvents } from './describe-index-events.js';

const committed = { commit: '0123456789abcdef', filesIndexed: 357, filesUnchanged: 0, filesRemoved: 0, chunks: 1_781 };
const event = (state: IndexState, second: number, fields: object = {}) =>
  create(IndexEventSchema, { repo: 'app', state, at: new Date(second * 1_000).toISOString(), ...fields });
const progress = (done: number, total: number, perSecond: number) => ({ progress: { done, total, perSecond } });

describe('describeIndexEvents', () => {
  it('says when the lexical snapshot is searchable, logs progress at most every 5 s, and when vectors are in', () => {
    const describe = describeIndexEvents();
    const lines = [
      event(IndexState.QUEUED, 0),
      event(IndexState.INDEXING, 0),
      event(IndexState.INDEXING, 1, progress(100, 357, 100)),
      event(IndexState.INDEXING, 2, progress(200, 357, 100)),
      event(IndexState.EMBEDDING, 3, { ...committed, tookMs: 3_400, ...progress(0, 1_036, 19) }),
      event(IndexState.EMBEDDING, 4, { ...committed, ...progress(19, 1_036, 19) }),
      event(IndexState.EMBEDDING, 9, { ...committed, ...progress(114, 1_036, 19) }),
      event(IndexState.DONE, 57, { ...committed, ...progress(1_036, 1_036, 19) }),
    ].map(describe);
    expect(lines.join('')).toBe(
      [
        'queued app',
        'indexing app',
        'indexing app: files 100/357, 100.0 files/s, about 3 s left',
        'indexed app at 0123456789ab: 357 files indexed, 0 unchanged, 0 removed, 1781 chunks in 3.4 s: searchable now; embedding 1,036 chunks in the background (about 55 s)',
        'embedding app: 1,781 chunks, embedded 114/1,036, 19.0 chunks/s, about 49 s left',
        'embedded app: 1036 chunks in 54 s',
        '',
      ].join('\n'),
    );
  });

  it('says indexed and done in one line when no vectors follow, and why a job failed', () => {
    const describe = describeIndexEvents();
    expect(describe(event(IndexState.DONE, 1, { ...committed, tookMs: 1_200 }))).toBe(
      'indexed app at 0123456789ab: 357 files indexed, 0 unchanged, 0 removed, 1781 chunks in 1.2 s\n',
    );
    expect(describe(event(IndexState.FAILED, 2, { error: 'permission denied' }))).toBe(
      'indexing app failed: permission denied\n',
    );
  });
});
