import type { AuditHead } from '../domain/audit-head.js';
import { createChainVerifier, type ChainVerification, type VerifyChainOptions } from '../domain/verify-chain.js';
import type { AuditLog } from '../ports/audit-log.js';

/** How to verify a log: retention, and heads kept elsewhere to check besides the log's own. */
export interface VerifyLogOptions extends Pick<VerifyChainOptions, 'allowExpired'> {
  /** Heads copied from the log earlier (say, `conexus audit head` output stored in another system). */
  readonly heads?: readonly AuditHead[];
}

/**
 * Streams a whole log through the verifier, checking its tail against the highest seq the log assigned and
 * against its anchored head, so that records cut from the end are reported as truncated.
 */
export async function verifyLog(log: AuditLog, options: VerifyLogOptions = {}): Promise<ChainVerification> {
  // why: read the assigned seq and the head before the records. A head is anchored only after its record is
  // durable, so every record it vouches for is already stored when reading starts, and appends racing the
  // check cannot look like a lost tail.
  const expectedLastSeq = await log.lastSeq();
  const anchored = await log.head();
  const heads = [...(options.heads ?? []), ...(anchored ? [anchored] : [])];
  const verifier = createChainVerifier({ allowExpired: options.allowExpired, expectedLastSeq, heads });
  for await (const record of log.read()) verifier.add(record);
  return verifier.result();
}
