import { describe, expect, it } from '@jest/globals';
import { queryCoverage } from './query-coverage.js';

const terms = new Map([
  ['redirect', 1],
  ['proxy', 1],
  ['session', 2],
]);
const chunk = (text: string, path = 'src/a.py') => ({ path, symbol: null, text });

describe('queryCoverage', () => {
  it('is the share of the query weight the best chunk holds', () => {
    const docs = new Map([
      ['redirect', 10],
      ['proxy', 10],
      ['session', 10],
    ]);
    expect(queryCoverage(terms, docs, 1000, [chunk('redirect proxy session')])).toBeCloseTo(1);
    const one = queryCoverage(terms, docs, 1000, [chunk('def redirect(): pass')]);
    expect(one).toBeGreaterThan(0.2);
    expect(one).toBeLessThan(0.3);
    expect(queryCoverage(terms, docs, 1000, [chunk('nothing'), chunk('redirect proxy')])).toBeGreaterThan(one);
  });

  it('weighs a term the index lacks like the rarest, so knowing few of the words scores low', () => {
    const knowsAll = new Map([
      ['redirect', 50],
      ['proxy', 50],
      ['session', 50],
    ]);
    const knowsOne = new Map([['redirect', 50]]);
    const best = [chunk('redirect')];
    expect(queryCoverage(terms, knowsOne, 1000, best)).toBeLessThan(queryCoverage(terms, knowsAll, 1000, best));
  });

  it('counts inflections and path tokens as the term', () => {
    const docs = new Map([['redirect', 5]]);
    expect(queryCoverage(new Map([['redirected', 1]]), docs, 100, [chunk('def redirect(): pass')])).toBeCloseTo(1);
    expect(queryCoverage(new Map([['proxy', 1]]), docs, 100, [chunk('x = 1', 'src/proxy.py')])).toBeCloseTo(1);
  });

  it('is 0 for no terms or no chunks', () => {
    expect(queryCoverage(new Map(), new Map(), 100, [chunk('a')])).toBe(0);
    expect(queryCoverage(terms, new Map(), 100, [])).toBe(0);
  });
});
