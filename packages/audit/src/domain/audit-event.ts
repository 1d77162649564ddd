/** The kinds of action the audit log records; a closed set so SIEM rules can match on it. */
export const AUDIT_EVENT_KINDS = [
  'search',
  'read',
  'symbol',
  'list',
  'index',
  'policy_change',
  'admin',
  'auth_failure',
] as const;

/** One kind of audited action. */
export type AuditEventKind = (typeof AUDIT_EVENT_KINDS)[number];

/** How an audited action ended. */
export type AuditOutcome = 'ok' | 'denied' | 'error';

/** Who acted, keyed on issuer and subject (never email); groups and roles are not recorded. */
export interface AuditPrincipal {
  readonly issuer: string;
  readonly subject: string;
  readonly tenant: string;
}

/** A span of code that an action returned or read, pinned to the commit it came from. */
export interface AuditChunk {
  readonly repo: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly commit: string;
}

/** One audited action: what was asked, by whom, and which code left the system. */
export interface AuditEvent {
  readonly kind: AuditEventKind;
  /** When it happened, as an ISO 8601 string. */
  readonly at: string;
  /** Null when nobody was authenticated (e.g. an auth_failure). */
  readonly principal: AuditPrincipal | null;
  readonly outcome: AuditOutcome;
  readonly repos?: readonly string[];
  readonly chunks?: readonly AuditChunk[];
  /** The query text, when the deployment records queries in clear (see `auditQuery`). */
  readonly query?: string;
  /** A sha256 of the query text, when the deployment records only hashes. */
  readonly queryHash?: string;
  readonly detail?: Readonly<Record<string, string>>;
}
