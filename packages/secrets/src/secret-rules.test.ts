import { describe, expect, it } from '@jest/globals';
import { SECRET_RULES } from './secret-rules.js';
import { shannonEntropy } from './shannon-entropy.js';

describe('SECRET_RULES', () => {
  it('have unique kebab-case ids, descriptions, global regexes with indices and lower-case keywords', () => {
    const ids = SECRET_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of SECRET_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.regex.flags).toContain('g');
      expect(rule.regex.flags).toContain('d');
      for (const keyword of rule.keywords ?? []) expect(keyword).toBe(keyword.toLowerCase());
      for (const allowed of rule.allow ?? []) expect(allowed.flags).not.toContain('g');
      for (const word of rule.stopwords ?? []) expect(word).toBe(word.toLowerCase());
    }
  });

  it('run in linear time on inputs built to make a backtracking regex blow up', () => {
    const hostile = [
      '-----BEGIN PRIVATE KEY-----' + 'A'.repeat(200_000),
      'password'.repeat(50_000),
      'token_'.repeat(40_000) + '=',
      `${'eyJ' + 'a'.repeat(5000) + '.'}`.repeat(40),
      'a_token = "' + 'b'.repeat(300_000),
      '://' + 'a'.repeat(60) + ':'.repeat(100_000),
      'secret' + '-'.repeat(200_000),
    ];
    for (const text of hostile) {
      const started = performance.now();
      for (const rule of SECRET_RULES) for (const _ of text.matchAll(rule.regex));
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('check candidate values in linear time too', () => {
    const values = [
      'A'.repeat(200) + '1',
      'ab'.repeat(100) + '1',
      'aB'.repeat(100),
      'ABc'.repeat(66) + '!',
      '_-'.repeat(100) + '1',
    ];
    const started = performance.now();
    for (const rule of SECRET_RULES)
      for (const allowed of rule.allow ?? []) for (const value of values) allowed.test(value);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('shannonEntropy', () => {
  it('is zero for one repeated character and log2(n) for n distinct ones', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBeCloseTo(2);
    expect(shannonEntropy('changeme')).toBeLessThan(3);
  });
});
