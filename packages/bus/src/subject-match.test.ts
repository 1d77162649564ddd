import { describe, expect, it } from '@jest/globals';
import { subjectMatches } from './subject-match.js';

describe('subjectMatches', () => {
  it('matches exact subjects, one token for *, the rest for >', () => {
    expect(subjectMatches('conexus.shard.3.search', 'conexus.shard.3.search')).toBe(true);
    expect(subjectMatches('conexus.shard.3.search', 'conexus.shard.13.search')).toBe(false);
    expect(subjectMatches('conexus.shard.3', 'conexus.shard.3.search')).toBe(false);
    expect(subjectMatches('conexus.*.3.search', 'conexus.shard.3.search')).toBe(true);
    expect(subjectMatches('conexus.*.search', 'conexus.shard.3.search')).toBe(false);
    expect(subjectMatches('conexus.>', 'conexus.shard.3.search')).toBe(true);
    expect(subjectMatches('conexus.shard.3.search.>', 'conexus.shard.3.search')).toBe(false);
  });
});
