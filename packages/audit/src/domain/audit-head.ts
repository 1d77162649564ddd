import { ConexusError } from '@conexus/kernel';

/**
 * The seq and hash of the last record a log appended, kept outside the log (a head file, a KV entry, or a
 * copy an operator took), so that records cut from the end of the log show up as truncation.
 */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

const SEQ_HASH = /^(\d+):([0-9a-f]{64})$/;
const HASH = /^[0-9a-f]{64}$/;

/**
 * Reads a head written as `SEQ:HASH` (what `conexus audit head` prints) or as JSON `{"seq","hash"}` (a head
 * file). `code` says whose fault a bad head is: the caller's (invalid_argument) or the stored log's (failed_precondition).
 */
export function parseAuditHead(
  text: string,
  where: string,
  code: 'invalid_argument' | 'failed_precondition' = 'invalid_argument',
): AuditHead {
  const trimmed = text.trim();
  let seq: unknown;
  let hash: unknown;
  if (trimmed.startsWith('{')) {
    try {
      ({ seq, hash } = (JSON.parse(trimmed) ?? {}) as Record<string, unknown>);
    } catch {
      // why: left undefined, so the check below names what a head must look like.
    }
  } else {
    const match = SEQ_HASH.exec(trimmed);
    if (match) [seq, hash] = [Number(match[1]), match[2]];
  }
  if (!Number.isSafeInteger(seq) || (seq as number) < 1 || typeof hash !== 'string' || !HASH.test(hash)) {
    throw new ConexusError(
      code,
      `${where} is not an audit head: it needs a positive seq and a 64-digit lowercase hex hash, as SEQ:HASH or {"seq","hash"}`,
    );
  }
  return { seq: seq as number, hash };
}

/** The `SEQ:HASH` form of a head, which parseAuditHead reads back. */
export function formatAuditHead(head: AuditHead): string {
  return `${head.seq}:${head.hash}`;
}
