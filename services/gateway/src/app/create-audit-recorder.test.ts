import { expect, it } from '@jest/globals';
import type { AuditEvent, AuditLog } from '@conexus/audit';
import { createAuditRecorder } from './create-audit-recorder.js';

const principal = { issuer: 'https://idp', subject: 'ada', tenant: 'acme', groups: ['eng'], roles: [] };
const at = new Date('2026-01-02T03:04:05.000Z');

it('records reads, admin calls and authentication failures with who, when and the query as configured', async () => {
  const events: AuditEvent[] = [];
  const audit = { append: async (event: AuditEvent) => void events.push(event) } as unknown as AuditLog;
  const recorder = createAuditRecorder({ audit, queryMode: 'text', clock: () => at });
  await recorder.recordAccess(principal, {
    kind: 'search',
    outcome: 'ok',
    repos: ['r'],
    chunks: [],
    query: 'where',
    detail: {},
  });
  await recorder.recordAdmin(principal, 'SetPolicy', 'denied');
  await recorder.recordAuthFailure('/mcp', 'expired');
  expect(events).toEqual([
    expect.objectContaining({
      kind: 'search',
      at: at.toISOString(),
      principal: { issuer: 'https://idp', subject: 'ada', tenant: 'acme' },
      outcome: 'ok',
      repos: ['r'],
      query: 'where',
    }),
    {
      kind: 'admin',
      at: at.toISOString(),
      principal: { issuer: 'https://idp', subject: 'ada', tenant: 'acme' },
      outcome: 'denied',
      detail: { method: 'SetPolicy' },
    },
    {
      kind: 'auth_failure',
      at: at.toISOString(),
      principal: null,
      outcome: 'denied',
      detail: { method: '/mcp', reason: 'expired' },
    },
  ]);
});

it('records nothing without an audit log', async () => {
  await expect(
    createAuditRecorder({ audit: null, queryMode: 'hash' }).recordAdmin(principal, 'SetPolicy', 'ok'),
  ).resolves.toBeUndefined();
});
