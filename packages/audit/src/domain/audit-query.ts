import { createHash } from 'node:crypto';

/** Whether queries are stored in clear or only as a sha256 (for deployments where queries may hold secrets). */
export type AuditQueryMode = 'text' | 'hash';

/** The query fields of an event: the text itself, or only its sha256 in hex. */
export function auditQuery(text: string, mode: AuditQueryMode): { query: string } | { queryHash: string } {
  if (mode === 'text') return { query: text };
  return { queryHash: createHash('sha256').update(text, 'utf8').digest('hex') };
}
