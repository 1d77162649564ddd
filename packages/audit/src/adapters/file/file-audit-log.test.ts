import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  auditHeadFilePath,
  nextRecord,
  openFileAuditLog,
  readAuditHeadFile,
  sealRecord,
  verifyLog,
  writeAuditHeadFile,
  type AuditEvent,
  type AuditLog,
  type ChainedRecord,
} from '../../index.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-audit-file-'));
const logs: AuditLog[] = [];
afterAll(async () => {
  for (const log of logs) await log.close();
  rmSync(scratch, { recursive: true, force: true });
});

let unique = 0;
async function written(count: number): Promise<{ path: string; log: AuditLog }> {
  const path = join(scratch, `audit-${(unique += 1)}.jsonl`);
  const log = await openFileAuditLog(path);
  logs.push(log);
  for (let n = 1; n <= count; n++) await log.append(event(n));
  return { path, log };
}

const event = (n: number): AuditEvent => ({
  kind: 'symbol',
  at: `2025-06-01T00:00:0${n % 10}.000Z`,
  principal: null,
  outcome: 'ok',
  query: `q${n}`,
});
const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const rewrite = (path: string, edit: (lines: string[]) => string[]): void =>
  writeFileSync(path, `${edit(lines(path)).join('\n')}\n`);
const stored = (path: string): ChainedRecord[] => lines(path).map((line) => JSON.parse(line) as ChainedRecord);
const headOf = (record: ChainedRecord) => ({ seq: record.seq, hash: record.hash });
async function reopened(path: string): Promise<AuditLog> {
  const log = await openFileAuditLog(path);
  logs.push(log);
  return log;
}

describe('file audit log tampering', () => {
  it('stores one JSON record per line', async () => {
    const { path } = await written(3);
    expect(lines(path).map((line) => (JSON.parse(line) as ChainedRecord).seq)).toEqual([1, 2, 3]);
  });

  it('reports an edited line as altered', async () => {
    const { path, log } = await written(6);
    rewrite(path, (all) => all.map((line, i) => (i === 2 ? line.replace('"q3"', '"something else"') : line)));
    expect(await verifyLog(log)).toMatchObject({ ok: false, problems: [{ seq: 3, problem: 'altered' }] });
  });

  it('reports an edit whose hash was recomputed as altered', async () => {
    const { path, log } = await written(6);
    rewrite(path, (all) =>
      all.map((line, i) => {
        if (i !== 2) return line;
        const record = JSON.parse(line) as ChainedRecord;
        return JSON.stringify(sealRecord(record.seq, record.prevHash, { ...record.event, outcome: 'denied' }));
      }),
    );
    expect((await verifyLog(log)).problems).toEqual([{ seq: 3, problem: 'altered' }]);
  });

  it('reports a removed line as missing and swapped lines as out of order', async () => {
    const removed = await written(6);
    rewrite(removed.path, (all) => all.filter((_, i) => i !== 3));
    expect((await verifyLog(removed.log)).problems).toEqual([{ seq: 4, problem: 'missing', count: 1 }]);

    const swapped = await written(6);
    rewrite(swapped.path, ([a, b, c, d, ...rest]) => [a!, b!, d!, c!, ...rest]);
    expect((await verifyLog(swapped.log)).problems).toEqual([{ seq: 3, problem: 'out_of_order' }]);
  });

  it('names the line that is not a record', async () => {
    const { path, log } = await written(3);
    rewrite(path, (all) => [all[0]!, '{"seq": "two"}', all[2]!]);
    await expect(verifyLog(log)).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining('line 2'),
    });
  });

  it('refuses to append after a torn last line, and tolerates blank lines', async () => {
    const torn = await written(2);
    await torn.log.close();
    appendFileSync(torn.path, '{"seq":3,"prev');
    const reopened = await openFileAuditLog(torn.path);
    logs.push(reopened);
    await expect(reopened.append(event(3))).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining('incomplete line'),
    });

    const blank = await written(2);
    await blank.log.close();
    appendFileSync(blank.path, '\n\n');
    const again = await openFileAuditLog(blank.path);
    logs.push(again);
    expect((await again.append(event(3))).seq).toBe(3);
    expect(await verifyLog(again)).toMatchObject({ ok: true, checked: 3 });
  });

  it('finds the tail of a file larger than one read chunk', async () => {
    const { path, log } = await written(1);
    const big = await log.append({ ...event(2), detail: { padding: 'x'.repeat(200_000) } });
    await log.close();
    const reopened = await openFileAuditLog(path);
    logs.push(reopened);
    expect(await reopened.append(event(3))).toMatchObject({ seq: 3, prevHash: big.hash });
  });
});

describe('file audit log head', () => {
  it('keeps the head of the last record in a file beside the log', async () => {
    const { path, log } = await written(4);
    const last = stored(path)[3]!;
    expect(auditHeadFilePath(path)).toBe(`${path}.head`);
    expect(JSON.parse(readFileSync(`${path}.head`, 'utf8'))).toEqual(headOf(last));
    expect(await log.head()).toEqual(headOf(last));
    expect(existsSync(`${path}.head.tmp`)).toBe(false);
  });

  it('reports lines removed from the end as truncated, naming the head they were cut from', async () => {
    const { path, log } = await written(6);
    const head = headOf(stored(path)[5]!);
    rewrite(path, (all) => all.slice(0, 4));
    expect(await verifyLog(log)).toEqual({
      ok: false,
      checked: 4,
      firstSeq: 1,
      lastSeq: 4,
      problems: [{ seq: 5, problem: 'truncated', count: 2, headHash: head.hash }],
    });
    rewrite(path, (all) => all.slice(0, 3));
    expect((await verifyLog(await reopened(path))).problems).toEqual([
      { seq: 4, problem: 'truncated', count: 3, headHash: head.hash },
    ]);
    writeFileSync(path, '');
    expect((await verifyLog(await reopened(path))).problems).toEqual([
      { seq: 1, problem: 'truncated', count: 6, headHash: head.hash },
    ]);
  });

  it('refuses to append after a cut or rewritten tail, so the head keeps the evidence', async () => {
    const cut = await written(6);
    await cut.log.close();
    const head = headOf(stored(cut.path)[5]!);
    rewrite(cut.path, (all) => all.slice(0, 5));
    const writer = await reopened(cut.path);
    await expect(writer.append(event(7))).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining(`expects 6:${head.hash}`),
    });
    expect(await writer.head()).toEqual(head);
    expect((await verifyLog(writer)).problems).toEqual([
      { seq: 6, problem: 'truncated', count: 1, headHash: head.hash },
    ]);

    const rewritten = await written(6);
    await rewritten.log.close();
    const records = stored(rewritten.path);
    const forged = nextRecord(records[4]!, { ...event(6), outcome: 'denied' });
    rewrite(rewritten.path, (all) => [...all.slice(0, 5), JSON.stringify(forged)]);
    const again = await reopened(rewritten.path);
    await expect(again.append(event(7))).rejects.toMatchObject({ code: 'failed_precondition' });
    expect((await verifyLog(again)).problems).toEqual([{ seq: 6, problem: 'altered' }]);
  });

  it('accepts a log one record ahead of its head, as a crash between append and head write leaves it', async () => {
    const { path, log } = await written(5);
    await log.close();
    const records = stored(path);
    // why: the crash came after the record was synced and before the head was renamed into place.
    await writeAuditHeadFile(auditHeadFilePath(path), headOf(records[3]!));
    writeFileSync(`${path}.head.tmp`, '{"seq":5,"ha');
    const after = await reopened(path);
    expect(await verifyLog(after)).toEqual({ ok: true, checked: 5, firstSeq: 1, lastSeq: 5, problems: [] });
    expect(await after.append(event(6))).toMatchObject({ seq: 6, prevHash: records[4]!.hash });
    expect(await readAuditHeadFile(auditHeadFilePath(path))).toEqual(headOf(stored(path)[5]!));
    expect(await verifyLog(after)).toMatchObject({ ok: true, checked: 6 });
  });

  it('verifies a log written before heads existed, and anchors one on the next append', async () => {
    const { path, log } = await written(3);
    await log.close();
    rmSync(auditHeadFilePath(path));
    const old = await reopened(path);
    expect(await old.head()).toBeNull();
    expect(await verifyLog(old)).toMatchObject({ ok: true, checked: 3 });
    const fourth = await old.append(event(4));
    expect(await old.head()).toEqual(headOf(fourth));
  });

  it('reports a damaged head file', async () => {
    const { path, log } = await written(2);
    writeFileSync(auditHeadFilePath(path), '{"seq":2,"hash":"nope"}\n');
    await expect(verifyLog(log)).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining('is not an audit head'),
    });
  });
});
