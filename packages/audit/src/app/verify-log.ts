import { createChainVerifier, type ChainVerification, type VerifyChainOptions } from '../domain/verify-chain.js';
import type { AuditLog } from '../ports/audit-log.js';

/** Streams a whole log through the verifier, checking its tail against the highest seq the log assigned. */
export async function verifyLog(log: AuditLog, options: Pick<VerifyChainOptions, 'allowExpired'> = {}): Promise<ChainVerification> {
  // why: read the assigned seq before the records, so appends racing the check cannot look like a lost tail.
  const expectedLastSeq = await log.lastSeq();
  const verifier = createChainVerifier({ ...options, expectedLastSeq });
  for await (const record of log.read()) verifier.add(record);
  return verifier.result();
}
