import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit-event.js';
import { canonicalJson, canonicalJsonOfParsed } from './canonical-json.js';

/** An event at its place in the chain: its 1-based position, the hash of its predecessor, and its own hash. */
export interface ChainedRecord {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly event: AuditEvent;
}

/** The prevHash of seq 1, and of a record whose predecessor is unknown because it expired. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256 (hex) over `prevHash \n seq \n canonicalJson(event)`; external verifiers reproduce exactly this. */
export function recordHash(seq: number, prevHash: string, event: unknown): string {
  return hashCanonical(seq, prevHash, canonicalJson(event));
}

/** Seals an event at a given position after a given predecessor hash. */
export function sealRecord(seq: number, prevHash: string, event: AuditEvent): ChainedRecord {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`audit seq must be a positive integer, got ${seq}`);
  const stored = storedEvent(event);
  // why: stored is already in its JSON form, so hash it without a second JSON round trip (this runs on every audited request).
  return { seq, prevHash, hash: hashCanonical(seq, prevHash, canonicalJsonOfParsed(stored)), event: stored };
}

/** Seals an event right after the chain's current tail (or as seq 1 when the chain is empty). */
export function nextRecord(tail: Pick<ChainedRecord, 'seq' | 'hash'> | null, event: AuditEvent): ChainedRecord {
  return sealRecord(tail ? tail.seq + 1 : 1, tail ? tail.hash : GENESIS_HASH, event);
}

// why: the record returned by append must equal the one read back, so store the JSON form; and only the
// three principal fields, so a full Principal (groups, roles) passed by a caller does not leak into the log.
function storedEvent(event: AuditEvent): AuditEvent {
  const principal = event.principal && {
    issuer: event.principal.issuer,
    subject: event.principal.subject,
    tenant: event.principal.tenant,
  };
  return JSON.parse(JSON.stringify({ ...event, principal })) as AuditEvent;
}

function hashCanonical(seq: number, prevHash: string, canonical: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${canonical}`, 'utf8').digest('hex');
}
