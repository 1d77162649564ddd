import { describe, expect, it } from '@jest/globals';
import type { AuditEvent } from './audit-event.js';
import { GENESIS_HASH, nextRecord, sealRecord, type ChainedRecord } from './chained-record.js';
import { verifyChain } from './verify-chain.js';

const event = (n: number): AuditEvent => ({
  kind: 'read',
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
  principal: null,
  outcome: 'ok',
  detail: { n: String(n) },
});

function chain(length: number): ChainedRecord[] {
  const records: ChainedRecord[] = [];
  for (let n = 1; n <= length; n++) records.push(nextRecord(records.at(-1) ?? null, event(n)));
  return records;
}

const without = (records: ChainedRecord[], ...seqs: number[]) => records.filter((record) => !seqs.includes(record.seq));
const edited = (record: ChainedRecord): ChainedRecord => ({ ...record, event: { ...record.event, outcome: 'denied' } });

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain(10))).toEqual({ ok: true, checked: 10, firstSeq: 1, lastSeq: 10, problems: [] });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, firstSeq: null, lastSeq: null, problems: [] });
  });

  it('reports a record removed from the middle, and a run of them as one entry', () => {
    expect(verifyChain(without(chain(10), 5)).problems).toEqual([{ seq: 5, problem: 'missing', count: 1 }]);
    expect(verifyChain(without(chain(10), 4, 5, 6)).problems).toEqual([{ seq: 4, problem: 'missing', count: 3 }]);
  });

  it('reports an edited event, whether or not its hash was recomputed', () => {
    const records = chain(6);
    const plain = records.map((record) => (record.seq === 3 ? edited(record) : record));
    expect(verifyChain(plain).problems).toEqual([{ seq: 3, problem: 'altered' }]);
    const rehashed = records.map((record) =>
      record.seq === 3 ? sealRecord(3, record.prevHash, edited(record).event) : record,
    );
    expect(verifyChain(rehashed).problems).toEqual([{ seq: 3, problem: 'altered' }]);
  });

  it('reports a chain rebuilt from an edited record onwards by its broken link to the original head', () => {
    const records = chain(4);
    const forged = nextRecord(null, { ...records[0]!.event, outcome: 'error' });
    expect(verifyChain([forged, ...records.slice(1)]).problems).toEqual([{ seq: 1, problem: 'altered' }]);
    expect(verifyChain([{ ...records[0]!, prevHash: 'f'.repeat(64) }]).problems).toEqual([
      { seq: 1, problem: 'altered' },
    ]);
  });

  it('reports swapped records as out of order, not as missing', () => {
    const [a, b, c, d, e] = chain(5);
    expect(verifyChain([a!, b!, d!, c!, e!]).problems).toEqual([{ seq: 3, problem: 'out_of_order' }]);
  });

  it('reports a record deleted and stored again at the end, edited', () => {
    const records = chain(6);
    const moved = edited(records[2]!);
    expect(verifyChain([...without(records, 3), moved]).problems).toEqual([
      { seq: 3, problem: 'out_of_order' },
      { seq: 3, problem: 'altered' },
    ]);
  });

  it('treats a head lost to retention as missing unless retention is allowed', () => {
    const kept = chain(10).slice(4);
    expect(verifyChain(kept).problems).toEqual([{ seq: 1, problem: 'missing', count: 4 }]);
    expect(verifyChain(kept, { allowExpired: true })).toEqual({
      ok: true,
      checked: 6,
      firstSeq: 5,
      lastSeq: 10,
      problems: [],
    });
    expect(verifyChain(without(kept, 7), { allowExpired: true }).problems).toEqual([
      { seq: 7, problem: 'missing', count: 1 },
    ]);
    expect(verifyChain(kept, { expectedFirstSeq: 5 }).ok).toBe(true);
  });

  it('accepts a record whose predecessor expired before it was written', () => {
    const resumed = sealRecord(8, GENESIS_HASH, event(8));
    expect(verifyChain([resumed, nextRecord(resumed, event(9))], { allowExpired: true }).ok).toBe(true);
  });

  it('reports a lost tail when told the last seq the log assigned', () => {
    const records = chain(10);
    expect(verifyChain(records.slice(0, 8), { expectedLastSeq: 10 }).problems).toEqual([
      { seq: 9, problem: 'missing', count: 2 },
    ]);
    expect(verifyChain([], { expectedLastSeq: 3 }).problems).toEqual([{ seq: 1, problem: 'missing', count: 3 }]);
    expect(verifyChain([], { expectedLastSeq: 3, allowExpired: true }).ok).toBe(true);
    expect(verifyChain(records.slice(5, 8), { expectedLastSeq: 10, allowExpired: true }).problems).toEqual([
      { seq: 9, problem: 'missing', count: 2 },
    ]);
  });
});

describe('verifyChain against a head kept outside the log', () => {
  const headOf = (record: ChainedRecord) => ({ seq: record.seq, hash: record.hash });

  it('reports records cut from the end as truncated, naming the hash the head expects', () => {
    const records = chain(10);
    const head = headOf(records[9]!);
    expect(verifyChain(records.slice(0, 7), { heads: [head] })).toEqual({
      ok: false,
      checked: 7,
      firstSeq: 1,
      lastSeq: 7,
      problems: [{ seq: 8, problem: 'truncated', count: 3, headHash: head.hash }],
    });
    expect(verifyChain([], { heads: [head] }).problems).toEqual([
      { seq: 1, problem: 'truncated', count: 10, headHash: head.hash },
    ]);
  });

  it('accepts a chain that ends at its head or goes on past it, as after a crash between append and head', () => {
    const records = chain(10);
    expect(verifyChain(records, { heads: [headOf(records[9]!)] }).ok).toBe(true);
    expect(verifyChain(records, { heads: [headOf(records[8]!)] }).ok).toBe(true);
    expect(verifyChain(records, { heads: [headOf(records[2]!), headOf(records[9]!)] }).ok).toBe(true);
  });

  it('reports the record a head disowns as altered, though the chain was recomputed up to it', () => {
    const records = chain(6);
    const rewritten = [...records.slice(0, 4)];
    for (let n = 5; n <= 6; n++) rewritten.push(nextRecord(rewritten.at(-1)!, { ...event(n), outcome: 'denied' }));
    expect(verifyChain(rewritten).ok).toBe(true);
    expect(verifyChain(rewritten, { heads: [headOf(records[5]!)] }).problems).toEqual([{ seq: 6, problem: 'altered' }]);
  });

  it('tells a cut tail from deletions inside the chain and from positions only the log counted', () => {
    const records = chain(10);
    const head = headOf(records[7]!);
    expect(verifyChain(without(records.slice(0, 6), 3), { heads: [head], expectedLastSeq: 10 }).problems).toEqual([
      { seq: 3, problem: 'missing', count: 1 },
      { seq: 7, problem: 'truncated', count: 2, headHash: head.hash },
      { seq: 9, problem: 'missing', count: 2 },
    ]);
    // why: a record stored after the head, then removed again, was never vouched for by the head.
    expect(verifyChain(records.slice(0, 8), { heads: [head], expectedLastSeq: 9 }).problems).toEqual([
      { seq: 9, problem: 'missing', count: 1 },
    ]);
  });

  it('checks a cut tail against the highest of several heads, even when retention applies', () => {
    const records = chain(10);
    const heads = [headOf(records[4]!), headOf(records[8]!)];
    expect(verifyChain(records.slice(2, 6), { heads, allowExpired: true }).problems).toEqual([
      { seq: 7, problem: 'truncated', count: 3, headHash: records[8]!.hash },
    ]);
    // why: expiry removes records from the front only, so an empty chain may have expired entirely.
    expect(verifyChain([], { heads, allowExpired: true }).ok).toBe(true);
  });
});
