export {
  AUDIT_EVENT_KINDS,
  type AuditChunk,
  type AuditEvent,
  type AuditEventKind,
  type AuditOutcome,
  type AuditPrincipal,
} from './domain/audit-event.js';
export { formatAuditHead, parseAuditHead, type AuditHead } from './domain/audit-head.js';
export { auditQuery, type AuditQueryMode } from './domain/audit-query.js';
export { canonicalJson } from './domain/canonical-json.js';
export { GENESIS_HASH, nextRecord, recordHash, sealRecord, type ChainedRecord } from './domain/chained-record.js';
export {
  createChainVerifier,
  verifyChain,
  type ChainProblem,
  type ChainProblemKind,
  type ChainVerification,
  type ChainVerifier,
  type VerifyChainOptions,
} from './domain/verify-chain.js';
export type { AuditLog, ReadAuditOptions } from './ports/audit-log.js';
export { exportJsonl } from './app/export-jsonl.js';
export { verifyLog, type VerifyLogOptions } from './app/verify-log.js';
export { auditHeadFilePath, readAuditHeadFile, writeAuditHeadFile } from './adapters/file/audit-head-file.js';
export { openFileAuditLog } from './adapters/file/open-file-audit-log.js';
export {
  DEFAULT_AUDIT_STREAM,
  DEFAULT_AUDIT_SUBJECT,
  openJetStreamAuditLog,
  type JetStreamAuditLogOptions,
} from './adapters/jetstream/open-jetstream-audit-log.js';
