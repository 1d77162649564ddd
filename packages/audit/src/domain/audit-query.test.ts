import { createHash } from 'node:crypto';
import { expect, it } from '@jest/globals';
import { auditQuery } from './audit-query.js';

it('keeps the query text in text mode', () => {
  expect(auditQuery('where is the token refreshed?', 'text')).toEqual({ query: 'where is the token refreshed?' });
});

it('stores only a sha256 of the query in hash mode', () => {
  const recorded = auditQuery('password=hunter2', 'hash');
  expect(recorded).toEqual({ queryHash: createHash('sha256').update('password=hunter2').digest('hex') });
  expect(JSON.stringify(recorded)).not.toContain('hunter2');
});
