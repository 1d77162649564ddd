import { expect, it } from '@jest/globals';
import { formatAuditHead, parseAuditHead } from './audit-head.js';

const hash = 'ab'.repeat(32);

it('reads a head as SEQ:HASH or as the JSON of a head file, and writes SEQ:HASH back', () => {
  expect(parseAuditHead(`12:${hash}`, '--head')).toEqual({ seq: 12, hash });
  expect(parseAuditHead(` {"seq":12,"hash":"${hash}"}\n`, 'head file')).toEqual({ seq: 12, hash });
  expect(formatAuditHead({ seq: 12, hash })).toBe(`12:${hash}`);
  expect(parseAuditHead(formatAuditHead({ seq: 3, hash }), 'round trip')).toEqual({ seq: 3, hash });
});

it('rejects anything else, with the code the caller chose', () => {
  for (const bad of [
    '',
    '12',
    `0:${hash}`,
    `-1:${hash}`,
    `1.5:${hash}`,
    `12:${hash.toUpperCase()}`,
    `12:${hash.slice(1)}`,
    '{"seq":1}',
    '{"seq":"1","hash":"x"}',
    '{not json',
    'null',
  ]) {
    expect(() => parseAuditHead(bad, '--head')).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringContaining('--head is not an audit head'),
      }),
    );
  }
  expect(() => parseAuditHead('{', 'audit head file x.head', 'failed_precondition')).toThrow(
    expect.objectContaining({ code: 'failed_precondition' }),
  );
});
