import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { useNatsServer } from '@conexus/testkit';
import {
  exportJsonl,
  GENESIS_HASH,
  openFileAuditLog,
  openJetStreamAuditLog,
  verifyChain,
  verifyLog,
  type AuditEvent,
  type AuditLog,
  type ChainedRecord,
} from './index.js';

// why: one suite, run against every adapter, keeps the embedded file log and the cluster's JetStream log interchangeable.
const scratch = mkdtempSync(join(tmpdir(), 'conexus-audit-'));
const nats = useNatsServer();
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

let unique = 0;
/** Opens a fresh, empty log; `reopen` opens the same log again, as a restarted process would. */
type Opener = () => { open: () => Promise<AuditLog> };
const adapters: [string, Opener][] = [
  [
    'file',
    () => {
      const path = join(scratch, `log-${(unique += 1)}`, 'audit.jsonl');
      return { open: () => openFileAuditLog(path) };
    },
  ],
  [
    'JetStream',
    () => {
      const n = (unique += 1);
      return {
        open: () => openJetStreamAuditLog({ servers: nats.url, stream: `AUDIT_C${n}`, subject: `audit.contract.${n}` }),
      };
    },
  ],
];

const event = (n: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  kind: 'search',
  at: new Date(Date.UTC(2025, 5, 1, 12, 0, 0, n)).toISOString(),
  principal: { issuer: 'https://idp.example', subject: `user-${n % 3}`, tenant: 'acme' },
  outcome: 'ok',
  detail: { n: String(n) },
  ...extra,
});

async function all(records: AsyncIterable<ChainedRecord>): Promise<ChainedRecord[]> {
  const result: ChainedRecord[] = [];
  for await (const record of records) result.push(record);
  return result;
}

describe.each(adapters)('audit log contract: %s', (_label, fresh) => {
  const opened: AuditLog[] = [];
  const open = async (opener: { open: () => Promise<AuditLog> }) => {
    const log = await opener.open();
    opened.push(log);
    return log;
  };
  afterAll(async () => {
    for (const log of opened) await log.close();
  });

  it('starts empty', async () => {
    const log = await open(fresh());
    expect(await all(log.read())).toEqual([]);
    expect(await log.lastSeq()).toBe(0);
    expect(await verifyLog(log)).toMatchObject({ ok: true, checked: 0 });
  });

  it('chains appended events from seq 1 and reads back exactly what append returned', async () => {
    const log = await open(fresh());
    const appended: ChainedRecord[] = [];
    for (let n = 1; n <= 5; n++) appended.push(await log.append(event(n)));
    expect(appended.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(appended[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < 5; i++) expect(appended[i]!.prevHash).toBe(appended[i - 1]!.hash);
    expect(await all(log.read())).toEqual(appended);
    expect(await log.lastSeq()).toBe(5);
    expect(await verifyLog(log)).toEqual({ ok: true, checked: 5, firstSeq: 1, lastSeq: 5, problems: [] });
  });

  it('keeps every field of an event', async () => {
    const log = await open(fresh());
    const full = event(1, {
      kind: 'read',
      outcome: 'denied',
      repos: ['caddy', 'zoekt'],
      chunks: [{ repo: 'caddy', path: 'caddy.go', startLine: 10, endLine: 42, commit: 'a'.repeat(40) }],
      queryHash: 'b'.repeat(64),
      detail: { reason: 'path outside scope', ünïcode: '✓' },
    });
    const bare: AuditEvent = {
      kind: 'auth_failure',
      at: '2025-06-01T00:00:00.000Z',
      principal: null,
      outcome: 'denied',
    };
    await log.append(full);
    await log.append(bare);
    expect((await all(log.read())).map((record) => record.event)).toEqual([full, bare]);
  });

  it('serializes concurrent appends from one process into one chain', async () => {
    const log = await open(fresh());
    const records = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(event(i))));
    expect(records.map((record) => record.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const stored = await all(log.read());
    expect(verifyChain(stored)).toMatchObject({ ok: true, checked: 50 });
    expect(new Set(stored.map((record) => record.event.detail!.n)).size).toBe(50);
  });

  it('continues the chain after the log is reopened', async () => {
    const opener = fresh();
    const first = await opener.open();
    await first.append(event(1));
    const second = await first.append(event(2));
    await first.close();
    const again = await open(opener);
    expect(await again.lastSeq()).toBe(2);
    const third = await again.append(event(3));
    expect(third).toMatchObject({ seq: 3, prevHash: second.hash });
    expect(await verifyLog(again)).toMatchObject({ ok: true, checked: 3 });
  });

  it('anchors the head of its last record outside the log after every append, also across a reopen', async () => {
    const opener = fresh();
    const log = await open(opener);
    expect(await log.head()).toBeNull();
    const first = await log.append(event(1));
    expect(await log.head()).toEqual({ seq: 1, hash: first.hash });
    const records = await Promise.all(Array.from({ length: 5 }, (_, i) => log.append(event(i + 2))));
    const last = records.reduce((a, b) => (b.seq > a.seq ? b : a));
    expect(await log.head()).toEqual({ seq: 6, hash: last.hash });
    await log.close();
    const again = await open(opener);
    expect(await again.head()).toEqual({ seq: 6, hash: last.hash });
    expect(await verifyLog(again)).toEqual({ ok: true, checked: 6, firstSeq: 1, lastSeq: 6, problems: [] });
  });

  it('reads from a given seq onwards', async () => {
    const log = await open(fresh());
    for (let n = 1; n <= 6; n++) await log.append(event(n));
    expect((await all(log.read({ fromSeq: 4 }))).map((record) => record.seq)).toEqual([4, 5, 6]);
    expect(await all(log.read({ fromSeq: 7 }))).toEqual([]);
    expect(verifyChain(await all(log.read({ fromSeq: 4 })), { expectedFirstSeq: 4 }).ok).toBe(true);
  });

  it('exports JSON lines that carry whole records', async () => {
    const log = await open(fresh());
    for (let n = 1; n <= 4; n++) await log.append(event(n));
    const lines: string[] = [];
    expect(await exportJsonl(log, (line) => void lines.push(line))).toBe(4);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const exported = lines.map((line) => JSON.parse(line) as ChainedRecord);
    expect(exported).toEqual(await all(log.read()));
    expect(verifyChain(exported).ok).toBe(true);
    const tail: string[] = [];
    expect(await exportJsonl(log, async (line) => void tail.push(line), { fromSeq: 3 })).toBe(2);
    expect(tail).toEqual(lines.slice(2));
  });
});
