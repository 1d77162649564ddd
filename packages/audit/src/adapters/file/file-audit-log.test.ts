import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openFileAuditLog, sealRecord, verifyLog, type AuditEvent, type AuditLog, type ChainedRecord } from '../../index.js';

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

const event = (n: number): AuditEvent => ({ kind: 'symbol', at: `2025-06-01T00:00:0${n % 10}.000Z`, principal: null, outcome: 'ok', query: `q${n}` });
const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const rewrite = (path: string, edit: (lines: string[]) => string[]): void => writeFileSync(path, `${edit(lines(path)).join('\n')}\n`);

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
    await expect(verifyLog(log)).rejects.toMatchObject({ code: 'failed_precondition', message: expect.stringContaining('line 2') });
  });

  it('refuses to append after a torn last line, and tolerates blank lines', async () => {
    const torn = await written(2);
    await torn.log.close();
    appendFileSync(torn.path, '{"seq":3,"prev');
    const reopened = await openFileAuditLog(torn.path);
    logs.push(reopened);
    await expect(reopened.append(event(3))).rejects.toMatchObject({ code: 'failed_precondition', message: expect.stringContaining('incomplete line') });

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
