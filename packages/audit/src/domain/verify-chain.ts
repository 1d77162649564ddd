import type { AuditHead } from './audit-head.js';
import { GENESIS_HASH, recordHash, type ChainedRecord } from './chained-record.js';

/**
 * What can be wrong at a position of the chain: `truncated` is records cut from its end that a head kept
 * outside the log vouches for; the others are tampering inside it.
 */
export type ChainProblemKind = 'missing' | 'altered' | 'out_of_order' | 'truncated';

/** One problem; a run of missing positions is one entry, `count` long, starting at `seq`. */
export interface ChainProblem {
  readonly seq: number;
  readonly problem: ChainProblemKind;
  /** For `missing` and `truncated`: how many consecutive positions from `seq` are gone. */
  readonly count?: number;
  /** For `truncated`: the hash the head says its last lost record (seq + count - 1) had. */
  readonly headHash?: string;
}

/** What the verifier may assume about where the chain starts and ends. */
export interface VerifyChainOptions {
  /** The seq the chain must start at (default 1); positions before the first record are missing. */
  readonly expectedFirstSeq?: number;
  /** Retention applies: a chain starting after expectedFirstSeq lost its head by expiry, which is not a failure. */
  readonly allowExpired?: boolean;
  /** The highest seq the log says it assigned (e.g. the stream's last sequence); a shorter chain lost its tail. */
  readonly expectedLastSeq?: number;
  /**
   * Heads kept outside the log (its own, or one an operator copied earlier): the chain must reach each head's
   * seq, and the record stored there must have the head's hash. A chain that goes on past a head is fine.
   */
  readonly heads?: readonly AuditHead[];
}

/** The verdict: ok when no problem was found; firstSeq and lastSeq are null for an empty chain. */
export interface ChainVerification {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly problems: readonly ChainProblem[];
}

/** Checks records one at a time, in the order the log stores them, holding only the problems in memory. */
export interface ChainVerifier {
  add(record: ChainedRecord): void;
  result(): ChainVerification;
}

/** Verifies a whole chain given in storage order. */
export function verifyChain(records: Iterable<ChainedRecord>, options: VerifyChainOptions = {}): ChainVerification {
  const verifier = createChainVerifier(options);
  for (const record of records) verifier.add(record);
  return verifier.result();
}

/** A streaming verifier, for logs too large to hold in memory. */
export function createChainVerifier(options: VerifyChainOptions = {}): ChainVerifier {
  const expectedFirstSeq = options.expectedFirstSeq ?? 1;
  const missing: { seq: number; count: number }[] = [];
  const flagged = new Map<string, ChainProblem>();
  let previous: ChainedRecord | null = null;
  let firstSeq: number | null = null;
  let checked = 0;
  const heads = options.heads ?? [];
  const flag = (seq: number, problem: 'altered' | 'out_of_order'): void =>
    void flagged.set(`${seq}:${problem}`, { seq, problem });

  return {
    add(record) {
      checked += 1;
      if (recordHash(record.seq, record.prevHash, record.event) !== record.hash) flag(record.seq, 'altered');
      // why: a record the head disowns was rewritten, with the chain recomputed up to it (or the log forked).
      if (heads.some((head) => head.seq === record.seq && head.hash !== record.hash)) flag(record.seq, 'altered');
      if (previous === null) {
        firstSeq = record.seq;
        if (record.seq > expectedFirstSeq && !options.allowExpired)
          missing.push({ seq: expectedFirstSeq, count: record.seq - expectedFirstSeq });
        if (record.seq === 1 && record.prevHash !== GENESIS_HASH) flag(1, 'altered');
        previous = record;
        return;
      }
      if (record.seq <= previous.seq) {
        // why: a record stored behind a later one was moved or re-inserted; it no longer counts as missing
        // where it belongs, but the chain stays broken and the record is not taken as the new tail.
        flag(record.seq, 'out_of_order');
        fill(missing, record.seq);
        return;
      }
      if (record.seq > previous.seq + 1) missing.push({ seq: previous.seq + 1, count: record.seq - previous.seq - 1 });
      // why: a successor commits to its predecessor's hash; when they disagree the predecessor was most
      // likely edited and re-hashed (an edit without re-hashing is caught by its own hash above).
      else if (record.prevHash !== previous.hash) flag(previous.seq, 'altered');
      previous = record;
    },
    result() {
      const lastSeq = previous?.seq ?? null;
      const problems: ChainProblem[] = [
        ...missing.map(({ seq, count }) => ({ seq, problem: 'missing' as const, count })),
        ...flagged.values(),
      ];
      problems.push(...lostTail(lastSeq, expectedFirstSeq, options));
      problems.sort((a, b) => a.seq - b.seq || ORDER.indexOf(a.problem) - ORDER.indexOf(b.problem));
      return { ok: problems.length === 0, checked, firstSeq, lastSeq, problems };
    },
  };
}

const ORDER: readonly ChainProblemKind[] = ['missing', 'out_of_order', 'altered', 'truncated'];

/**
 * The positions after the chain's last record: up to the highest head, truncated (with that head's hash); past
 * it, up to the highest seq the log says it assigned, missing (the stream counted a message that no head vouches
 * for, such as one published around the adapter).
 */
function lostTail(lastSeq: number | null, expectedFirstSeq: number, options: VerifyChainOptions): ChainProblem[] {
  // why: with retention an empty chain may simply have expired entirely; a non-empty one cannot lose its tail,
  // since expiry removes records from the front only.
  if (lastSeq === null && options.allowExpired) return [];
  const from = lastSeq === null ? expectedFirstSeq : lastSeq + 1;
  const head = [...(options.heads ?? [])].sort((a, b) => b.seq - a.seq)[0];
  const lost: ChainProblem[] = [];
  if (head && head.seq >= from)
    lost.push({ seq: from, problem: 'truncated', count: head.seq - from + 1, headHash: head.hash });
  const counted = Math.max(from, (head?.seq ?? 0) + 1);
  const assigned = options.expectedLastSeq ?? 0;
  if (assigned >= counted) lost.push({ seq: counted, problem: 'missing', count: assigned - counted + 1 });
  return lost;
}

/** Removes one position from the missing runs, splitting the run that holds it. */
function fill(missing: { seq: number; count: number }[], seq: number): void {
  const index = missing.findIndex((run) => seq >= run.seq && seq < run.seq + run.count);
  if (index < 0) return;
  const run = missing[index]!;
  const pieces = [
    { seq: run.seq, count: seq - run.seq },
    { seq: seq + 1, count: run.seq + run.count - seq - 1 },
  ].filter((piece) => piece.count > 0);
  missing.splice(index, 1, ...pieces);
}
