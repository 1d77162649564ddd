import { describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState } from '@conexus/api';
import { indexNotice, percentDone, withNotice } from './index-notice.js';

const project = { repo: 'payments', root: '/home/ada/payments' };
const event = (state: IndexState, done = 0, total = 0, error = '') =>
  create(IndexEventSchema, { repo: 'payments', state, error, progress: { done, total } });

describe('indexNotice', () => {
  it.each([
    [IndexState.QUEUED, 0, 0, 'indexing /home/ada/payments: results may be incomplete', true],
    [IndexState.INDEXING, 40, 100, 'indexing /home/ada/payments, 40 %: results may be incomplete', true],
    [IndexState.INDEXING, 2, 3, 'indexing /home/ada/payments, 66 %: results may be incomplete', true],
    [IndexState.EMBEDDING, 400, 1000, 'lexical results; embeddings 40 %', false],
    [IndexState.EMBEDDING, 0, 0, 'lexical results; embeddings in progress', false],
  ])('state %s, %s of %s → %s', (state, done, total, text, incomplete) => {
    expect(indexNotice(event(state, done, total), project)).toEqual({ text, incomplete });
  });

  it('says why indexing failed, on one line', () => {
    expect(indexNotice(event(IndexState.FAILED, 0, 0, 'disk full\nretry'), project)?.text).toBe(
      'indexing /home/ada/payments failed (disk full\\nretry): results are from its last complete index, if any',
    );
  });

  it('says nothing once done, or when nothing is known', () => {
    expect(indexNotice(event(IndexState.DONE), project)).toBeNull();
    expect(indexNotice(undefined, project)).toBeNull();
  });
});

describe('percentDone and withNotice', () => {
  it('rounds down, caps at 100 and is unknown without a total', () => {
    expect(percentDone(create(IndexEventSchema, { progress: { done: 999, total: 1000 } }).progress)).toBe(99);
    expect(percentDone(create(IndexEventSchema, { progress: { done: 12, total: 10 } }).progress)).toBe(100);
    expect(percentDone(undefined)).toBeUndefined();
  });

  it('puts the notice first, in parentheses', () => {
    expect(withNotice({ text: 'lexical results; embeddings 40 %', incomplete: false }, 'a.py:1-2')).toBe(
      '(lexical results; embeddings 40 %)\n\na.py:1-2',
    );
    expect(withNotice(null, 'a.py:1-2')).toBe('a.py:1-2');
  });
});
