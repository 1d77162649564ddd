import type { AuditLog, ReadAuditOptions } from '../ports/audit-log.js';

/** Writes every record as one JSON line (ending in "\n") for a SIEM; awaits `write` for backpressure. */
export async function exportJsonl(
  log: AuditLog,
  write: (line: string) => void | Promise<void>,
  options: ReadAuditOptions = {},
): Promise<number> {
  let count = 0;
  for await (const record of log.read(options)) {
    // why: the full record (seq, prevHash, hash, event) goes out, so the export can be verified on its own.
    await write(
      `${JSON.stringify({ seq: record.seq, prevHash: record.prevHash, hash: record.hash, event: record.event })}\n`,
    );
    count += 1;
  }
  return count;
}
