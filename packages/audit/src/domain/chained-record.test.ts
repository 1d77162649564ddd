import { createHash } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { AuditEvent } from './audit-event.js';
import { GENESIS_HASH, nextRecord, recordHash, sealRecord } from './chained-record.js';

const event: AuditEvent = {
  kind: 'search',
  at: '2025-01-02T03:04:05.000Z',
  principal: { issuer: 'https://idp', subject: 'u1', tenant: 't' },
  outcome: 'ok',
  query: 'q',
};

it('hashes prevHash, seq and the canonical event, as the README documents', () => {
  const expected = createHash('sha256')
    .update(
      `${GENESIS_HASH}\n1\n{"at":"2025-01-02T03:04:05.000Z","kind":"search","outcome":"ok","principal":{"issuer":"https://idp","subject":"u1","tenant":"t"},"query":"q"}`,
    )
    .digest('hex');
  expect(nextRecord(null, event)).toEqual({ seq: 1, prevHash: GENESIS_HASH, hash: expected, event });
});

it('chains each record to its predecessor', () => {
  const first = nextRecord(null, event);
  const second = nextRecord(first, { ...event, outcome: 'denied' });
  expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
  expect(second.hash).toBe(recordHash(2, first.hash, second.event));
  expect(second.hash).not.toBe(sealRecord(3, first.hash, second.event).hash);
});

it('records only issuer, subject and tenant of a principal, and the JSON form of the event', () => {
  const principal = { issuer: 'i', subject: 's', tenant: 't', groups: ['admins'], roles: ['owner'] };
  const record = sealRecord(1, GENESIS_HASH, { ...event, principal, detail: undefined });
  expect(record.event).toEqual({ ...event, principal: { issuer: 'i', subject: 's', tenant: 't' } });
  expect('detail' in record.event).toBe(false);
});

it('refuses a seq that is not a positive integer', () => {
  expect(() => sealRecord(0, GENESIS_HASH, event)).toThrow(RangeError);
});
