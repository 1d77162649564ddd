import type { Principal } from '@conexus/access';
import {
  auditQuery,
  type AuditChunk,
  type AuditEvent,
  type AuditEventKind,
  type AuditLog,
  type AuditOutcome,
  type AuditQueryMode,
} from '@conexus/audit';

/** One audited read: what was asked and which code left the system. */
export interface AccessRecord {
  readonly kind: Extract<AuditEventKind, 'search' | 'read' | 'symbol' | 'list' | 'index'>;
  readonly outcome: AuditOutcome;
  readonly repos: readonly string[];
  readonly chunks: readonly AuditChunk[];
  readonly query?: string;
  readonly detail?: Record<string, string>;
}

/** What the gateway records in the audit log: reads, admin calls and authentication failures. */
export interface AuditRecorder {
  readonly recordAccess: (principal: Principal, access: AccessRecord) => Promise<void>;
  readonly recordAdmin: (principal: Principal, method: string, outcome: AuditOutcome) => Promise<void>;
  readonly recordAuthFailure: (method: string, reason: string) => Promise<void>;
}

/** Records into `audit`, or nowhere when it is null; query text in clear or hashed as `queryMode` says. */
export function createAuditRecorder(options: {
  audit: AuditLog | null;
  queryMode: AuditQueryMode;
  clock?: () => Date;
}): AuditRecorder {
  const clock = options.clock ?? (() => new Date());
  const append = async (event: AuditEvent): Promise<void> => {
    if (options.audit) await options.audit.append(event);
  };
  const who = (principal: Principal) => ({
    issuer: principal.issuer,
    subject: principal.subject,
    tenant: principal.tenant,
  });
  return {
    recordAccess: (principal, access) =>
      append({
        kind: access.kind,
        at: clock().toISOString(),
        principal: who(principal),
        outcome: access.outcome,
        repos: access.repos,
        chunks: access.chunks,
        ...(access.query !== undefined ? auditQuery(access.query, options.queryMode) : {}),
        detail: access.detail,
      }),
    recordAdmin: (principal, method, outcome) =>
      append({ kind: 'admin', at: clock().toISOString(), principal: who(principal), outcome, detail: { method } }),
    recordAuthFailure: (method, reason) =>
      append({
        kind: 'auth_failure',
        at: clock().toISOString(),
        principal: null,
        outcome: 'denied',
        detail: { method, reason },
      }),
  };
}
