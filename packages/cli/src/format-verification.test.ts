import { expect, it } from '@jest/globals';
import { formatVerification } from './format-verification.js';

it('summarizes an intact log, an empty one, and one whose head expired', () => {
  expect(formatVerification({ ok: true, checked: 3, firstSeq: 1, lastSeq: 3, problems: [] }, false)).toBe(
    'audit log intact: 3 records, seq 1-3\n',
  );
  expect(formatVerification({ ok: true, checked: 0, firstSeq: null, lastSeq: null, problems: [] }, true)).toBe(
    'audit log intact: no records\n',
  );
  expect(formatVerification({ ok: true, checked: 2, firstSeq: 4, lastSeq: 5, problems: [] }, true)).toBe(
    'audit log intact: 2 records, seq 4-5 (seq 1-3 expired under retention)\n',
  );
});

it('names every problem seq by kind, and shortens long lists', () => {
  const problems = [
    { seq: 2, problem: 'missing' as const, count: 3 },
    { seq: 7, problem: 'altered' as const },
    { seq: 9, problem: 'out_of_order' as const },
    { seq: 12, problem: 'missing' as const, count: 1 },
  ];
  expect(formatVerification({ ok: false, checked: 8, firstSeq: 1, lastSeq: 12, problems }, false)).toBe(
    'audit log NOT intact: missing seq 2-4, 12; out of order seq 9; altered seq 7 (checked 8 records, seq 1-12)\n',
  );
  const many = Array.from({ length: 25 }, (_, i) => ({ seq: i + 1, problem: 'altered' as const }));
  expect(formatVerification({ ok: false, checked: 25, firstSeq: 1, lastSeq: 25, problems: many }, false)).toContain(
    'altered seq 1, 2,',
  );
  expect(formatVerification({ ok: false, checked: 25, firstSeq: 1, lastSeq: 25, problems: many }, false)).toContain(
    '20 and 5 more',
  );
});

it('tells a cut tail apart from tampering, with the head it was cut off from', () => {
  const hash = 'c'.repeat(64);
  const truncated = { seq: 4, problem: 'truncated' as const, count: 2, headHash: hash };
  expect(formatVerification({ ok: false, checked: 3, firstSeq: 1, lastSeq: 3, problems: [truncated] }, false)).toBe(
    `audit log NOT intact: truncated after seq 3: seq 4-5 missing, expected head 5:${hash} (checked 3 records, seq 1-3)\n`,
  );
  const withGap = [
    { seq: 2, problem: 'missing' as const, count: 1 },
    { seq: 6, problem: 'truncated' as const, count: 1, headHash: hash },
  ];
  expect(formatVerification({ ok: false, checked: 4, firstSeq: 1, lastSeq: 5, problems: withGap }, false)).toBe(
    `audit log NOT intact: missing seq 2; truncated after seq 5: seq 6 missing, expected head 6:${hash} (checked 4 records, seq 1-5)\n`,
  );
  const everything = { seq: 1, problem: 'truncated' as const, count: 3, headHash: hash };
  expect(
    formatVerification({ ok: false, checked: 0, firstSeq: null, lastSeq: null, problems: [everything] }, false),
  ).toBe(`audit log NOT intact: truncated: seq 1-3 missing, expected head 3:${hash} (checked no records)\n`);
});

it('notes an intact log that no head vouched for', () => {
  expect(formatVerification({ ok: true, checked: 3, firstSeq: 1, lastSeq: 3, problems: [] }, false, false)).toBe(
    'audit log intact: 3 records, seq 1-3 (no head to check the tail against: records cut from the end would not show)\n',
  );
  expect(formatVerification({ ok: true, checked: 0, firstSeq: null, lastSeq: null, problems: [] }, false, false)).toBe(
    'audit log intact: no records\n',
  );
});
