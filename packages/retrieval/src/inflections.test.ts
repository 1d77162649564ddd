import { describe, expect, it } from '@jest/globals';
import { inflections } from './inflections.js';

describe('inflections', () => {
  it.each([
    ['redelivered', ['redeliver', 'redelivers', 'redelivering']],
    ['delivered', ['deliver', 'deliveries', 'delivery']],
    ['deliveries', ['delivery', 'deliver']],
    ['parsing', ['parse', 'parsed', 'parses']],
    ['stopped', ['stop', 'stops', 'stopping']],
    ['matches', ['match', 'matching', 'matched']],
    ['handlers', ['handler']],
    ['applied', ['apply', 'applies', 'applying']],
    ['redirect', ['redirects', 'redirected', 'redirecting']],
  ])('%s has the forms %j', (word, expected) => {
    expect(inflections(word)).toEqual(expect.arrayContaining(expected));
  });

  it.each(['status', 'analysis', 'access'])('reads %s as no plural', (word) => {
    expect(inflections(word)).not.toContain(word.slice(0, -1));
  });

  it.each(['parse_expr', 'http2', 'url', 'get'])('leaves %s (an identifier or a short word) exact', (token) => {
    expect(inflections(token)).toEqual([]);
  });

  it('never lists the word itself', () => {
    for (const word of ['deliver', 'parsed', 'queries', 'boxes']) expect(inflections(word)).not.toContain(word);
  });
});
