import { describe, expect, it } from '@jest/globals';
import { tokenizeTexts, type IdTokenizer } from './tokenize-texts.js';

// A word-level tokenizer with BERT's framing: 101 = [CLS], 102 = [SEP], each word its length.
const words: IdTokenizer = {
  encode: (text) => [
    101,
    ...text
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => word.length),
    102,
  ],
};

describe('tokenizeTexts', () => {
  it('keeps texts within the limit whole', () => {
    expect(tokenizeTexts(words, ['a bb ccc', ''], 8)).toEqual([
      [101, 1, 2, 3, 102],
      [101, 102],
    ]);
  });

  it('keeps the head of a longer text and still ends with the closing token', () => {
    expect(tokenizeTexts(words, ['a bb ccc dddd eeeee'], 4)).toEqual([[101, 1, 2, 102]]);
  });
});
