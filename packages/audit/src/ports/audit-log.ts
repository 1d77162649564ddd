import type { AuditEvent } from '../domain/audit-event.js';
import type { AuditHead } from '../domain/audit-head.js';
import type { ChainedRecord } from '../domain/chained-record.js';

/** Where reading starts. */
export interface ReadAuditOptions {
  /** Start at the first stored record whose seq is at least this; everything stored after it follows. */
  readonly fromSeq?: number;
}

/** An append-only, hash-chained audit log; adapters: JetStream (clusters) and a JSONL file (embedded). */
export interface AuditLog {
  /** Seals the event after the current tail and stores it durably; resolves once it is stored. */
  append(event: AuditEvent): Promise<ChainedRecord>;
  /** The stored records in storage order (which verifyChain checks against seq order). */
  read(options?: ReadAuditOptions): AsyncIterable<ChainedRecord>;
  /** The highest seq the log has assigned, 0 when none; JetStream keeps it even when the tail is deleted. */
  lastSeq(): Promise<number>;
  /**
   * The head anchored outside the log (a head file, a KV entry), updated after every durable append: at most
   * the log's last record, never ahead of it. Null when nothing was anchored (an empty log, or one older than heads).
   */
  head(): Promise<AuditHead | null>;
  /** Waits for pending appends and releases the log's resources. */
  close(): Promise<void>;
}
