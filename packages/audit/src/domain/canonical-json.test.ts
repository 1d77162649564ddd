import { expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';

it('sorts keys at every level and keeps array order', () => {
  expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
    '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
  );
});

it('gives the same text for the same value however its keys were inserted', () => {
  expect(canonicalJson({ '10': 'a', '9': 'b', x: null })).toBe(canonicalJson({ x: null, '9': 'b', '10': 'a' }));
  expect(canonicalJson({ '10': 'a', '9': 'b' })).toBe('{"10":"a","9":"b"}');
});

it('matches the canonical form of its own JSON round trip', () => {
  const value = { kept: 'é"\\\n', dropped: undefined, list: [1, undefined, -0] };
  expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  expect(canonicalJson(value)).toBe('{"kept":"é\\"\\\\\\n","list":[1,null,0]}');
});
