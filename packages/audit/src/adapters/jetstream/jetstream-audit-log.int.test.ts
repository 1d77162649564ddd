import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { eventually, useNatsServer } from '@conexus/testkit';
import {
  GENESIS_HASH,
  nextRecord,
  openJetStreamAuditLog,
  verifyChain,
  verifyLog,
  type AuditEvent,
  type AuditLog,
  type ChainedRecord,
  type JetStreamAuditLogOptions,
} from '../../index.js';

let admin: NatsConnection;
let jsm: JetStreamManager;
const logs: AuditLog[] = [];
// why: afterAll hooks run in the order declared: the clients close before useNatsServer's hook stops the server.
afterAll(async () => {
  for (const log of logs) await log.close();
  await admin?.close();
});
const nats = useNatsServer();
beforeAll(async () => {
  admin = await connect({ servers: nats.url });
  jsm = await jetstreamManager(admin);
});

let unique = 0;
function names(): { stream: string; subject: string } {
  unique += 1;
  return { stream: `AUDIT_J${unique}`, subject: `audit.jetstream.${unique}` };
}

async function open(options: Omit<JetStreamAuditLogOptions, 'servers'>): Promise<AuditLog> {
  const log = await openJetStreamAuditLog({ servers: nats.url, ...options });
  logs.push(log);
  return log;
}

const event = (writer: string, n: number): AuditEvent => ({
  kind: 'read',
  at: new Date().toISOString(),
  principal: { issuer: 'https://idp.example', subject: writer, tenant: 'acme' },
  outcome: 'ok',
  query: `query ${n}`,
  detail: { writer, n: String(n) },
});

async function all(log: AuditLog): Promise<ChainedRecord[]> {
  const result: ChainedRecord[] = [];
  for await (const record of log.read()) result.push(record);
  return result;
}

async function fill(log: AuditLog, count: number): Promise<ChainedRecord[]> {
  const records: ChainedRecord[] = [];
  for (let n = 1; n <= count; n++) records.push(await log.append(event('w', n)));
  return records;
}

describe('JetStream audit log with several writers', () => {
  it('builds one valid chain from two connections appending at once, losing nothing', async () => {
    const where = names();
    // why: each log owns its own NATS connection, as two gateway replicas in different processes would.
    const [a, b] = await Promise.all([open(where), open(where)]);
    // why: in lockstep rounds both writers race for the same tail every time, so the race is exercised for sure;
    // then both run flat out, as replicas under load do.
    for (let n = 0; n < 50; n++) await Promise.all([a.append(event('a', n)), b.append(event('b', n))]);
    const run = async (log: AuditLog, writer: string) => {
      for (let n = 50; n < 100; n++) await log.append(event(writer, n));
    };
    await Promise.all([run(a, 'a'), run(b, 'b')]);

    const records = await all(a);
    expect(verifyChain(records)).toEqual({ ok: true, checked: 200, firstSeq: 1, lastSeq: 200, problems: [] });
    const written = records.map((record) => `${record.event.detail!.writer}${record.event.detail!.n}`);
    expect(new Set(written).size).toBe(200);
    expect(written.filter((key) => key.startsWith('a'))).toHaveLength(100);
    expect(written.slice(0, 100).filter((key) => key.startsWith('b'))).toHaveLength(50);
    const info = await jsm.streams.info(where.stream);
    expect(info.state).toMatchObject({ messages: 200, first_seq: 1, last_seq: 200 });
    // why: both writers anchor heads concurrently; a slower one never moves the head back.
    expect(await b.head()).toEqual({ seq: 200, hash: records.at(-1)!.hash });
  });

  it('keeps stream sequence and chain seq equal', async () => {
    const where = names();
    const log = await open(where);
    await fill(log, 5);
    for (let seq = 1; seq <= 5; seq++) {
      const stored = await jsm.streams.getMessage(where.stream, { seq });
      expect(stored!.json<ChainedRecord>().seq).toBe(seq);
    }
  });
});

describe('JetStream audit log tampering', () => {
  it('refuses message deletes and purges by default', async () => {
    const where = names();
    const log = await open(where);
    await fill(log, 3);
    await expect(jsm.streams.deleteMessage(where.stream, 2)).rejects.toThrow();
    await expect(jsm.streams.purge(where.stream)).rejects.toThrow();
    expect(await verifyLog(log)).toMatchObject({ ok: true, checked: 3 });
  });

  it('reports a message deleted from the middle as missing', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    await fill(log, 10);
    await jsm.streams.deleteMessage(where.stream, 5);
    expect((await verifyLog(log)).problems).toEqual([{ seq: 5, problem: 'missing', count: 1 }]);
  });

  it('reports a deleted tail as truncated, and as missing once the next append follows it', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    const records = await fill(log, 6);
    await jsm.streams.deleteMessage(where.stream, 6);
    expect((await verifyLog(log)).problems).toEqual([
      { seq: 6, problem: 'truncated', count: 1, headHash: records[5]!.hash },
    ]);
    // why: a fresh writer, so the tail comes from the stream rather than from what this process wrote.
    const next = await (await open(where)).append(event('w', 7));
    expect(next.seq).toBe(7);
    expect(verifyChain(await all(log)).problems).toEqual([{ seq: 6, problem: 'missing', count: 1 }]);
  });

  it('reports an event deleted and republished with an edit', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    const records = await fill(log, 8);
    const original = records[3]!;
    await jsm.streams.deleteMessage(where.stream, original.seq);
    const forged = { ...original, event: { ...original.event, outcome: 'denied' } };
    await jetstream(admin).publish(where.subject, JSON.stringify(forged));
    // why: the copy lands at stream sequence 9, so position 9 of the chain holds no record of its own either.
    expect((await verifyLog(log)).problems).toEqual([
      { seq: 4, problem: 'out_of_order' },
      { seq: 4, problem: 'altered' },
      { seq: 9, problem: 'missing', count: 1 },
    ]);
  });

  it('reports a stored message that is not an audit record', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    await fill(log, 2);
    await jetstream(admin).publish(where.subject, 'not json');
    await expect(verifyLog(log)).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining('message 3'),
    });
  });
});

describe('JetStream audit log retention', () => {
  it('drops expired events from the head and keeps the chain verifiable with retention allowed', async () => {
    const where = names();
    const log = await open({ ...where, maxAgeMs: 1_000 });
    await fill(log, 3);
    await eventually(
      async () => ((await jsm.streams.info(where.stream)).state.messages === 0 ? true : undefined),
      15_000,
      'expiry',
    );
    expect(await verifyLog(log, { allowExpired: true })).toEqual({
      ok: true,
      checked: 0,
      firstSeq: null,
      lastSeq: null,
      problems: [],
    });

    // why: a fresh writer finds no stored tail; it also turns retention off, so the rest does not race the clock.
    const writer = await open({ ...where, maxAgeMs: 0 });
    expect(await writer.append(event('w', 4))).toMatchObject({ seq: 4, prevHash: GENESIS_HASH });
    await writer.append(event('w', 5));
    expect(await verifyLog(log, { allowExpired: true })).toEqual({
      ok: true,
      checked: 2,
      firstSeq: 4,
      lastSeq: 5,
      problems: [],
    });
    expect((await verifyLog(log)).problems).toEqual([{ seq: 1, problem: 'missing', count: 3 }]);
  });

  it('applies a changed retention to an existing stream, and leaves it alone when none is given', async () => {
    const where = names();
    await open(where);
    expect((await jsm.streams.info(where.stream)).config.max_age).toBe(0);
    await open({ ...where, maxAgeMs: 3_600_000 });
    expect((await jsm.streams.info(where.stream)).config.max_age).toBe(3_600_000 * 1_000_000);
    await open(where);
    expect((await jsm.streams.info(where.stream)).config.max_age).toBe(3_600_000 * 1_000_000);
  });

  it('lets readers open only a stream that exists, and never changes it', async () => {
    const where = names();
    await expect(open({ ...where, manageStream: false })).rejects.toMatchObject({ code: 'not_found' });
    await open({ ...where, maxAgeMs: 60_000 });
    await open({ ...where, maxAgeMs: 0, manageStream: false });
    expect((await jsm.streams.info(where.stream)).config.max_age).toBe(60_000 * 1_000_000);
  });
});

describe('JetStream audit log head', () => {
  const headStream = (stream: string) => `KV_${stream}_HEAD`;

  it('anchors the head in a KV bucket that refuses deletes and purges', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    const records = await fill(log, 3);
    const stored = await jsm.streams.getMessage(headStream(where.stream), {
      last_by_subj: `$KV.${where.stream}_HEAD.head`,
    });
    expect(stored!.json()).toEqual({ seq: 3, hash: records[2]!.hash });
    expect((await jsm.streams.info(headStream(where.stream))).state.messages).toBe(1);
    await expect(jsm.streams.deleteMessage(headStream(where.stream), stored!.seq)).rejects.toThrow();
    await expect(jsm.streams.purge(headStream(where.stream))).rejects.toThrow();
  });

  it('reports the last messages deleted as truncated', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    const records = await fill(log, 8);
    await jsm.streams.deleteMessage(where.stream, 8);
    await jsm.streams.deleteMessage(where.stream, 7);
    expect(await verifyLog(log)).toEqual({
      ok: false,
      checked: 6,
      firstSeq: 1,
      lastSeq: 6,
      problems: [{ seq: 7, problem: 'truncated', count: 2, headHash: records[7]!.hash }],
    });
  });

  it('reports a purged stream as truncated, unless retention may have expired it all', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    const records = await fill(log, 4);
    await jsm.streams.purge(where.stream);
    expect((await verifyLog(log)).problems).toEqual([
      { seq: 1, problem: 'truncated', count: 4, headHash: records[3]!.hash },
    ]);
    // why: a stream that is empty looks the same whether purged or expired; the head cannot tell them apart.
    expect((await verifyLog(log, { allowExpired: true })).ok).toBe(true);
  });

  it('reports a stream deleted and made again with its first records, and refuses to append after it', async () => {
    const where = names();
    const log = await open({ ...where, denyDelete: false });
    const records = await fill(log, 6);
    await jsm.streams.delete(where.stream);
    await jsm.streams.add({ name: where.stream, subjects: [where.subject] });
    for (const record of records.slice(0, 4)) await jetstream(admin).publish(where.subject, JSON.stringify(record));
    // why: the chain from seq 1 to 4 is intact and the stream's counters say 4, so only the head shows the cut.
    expect(verifyChain(await all(log)).ok).toBe(true);
    expect((await verifyLog(log)).problems).toEqual([
      { seq: 5, problem: 'truncated', count: 2, headHash: records[5]!.hash },
    ]);
    const writer = await open(where);
    await expect(writer.append(event('w', 5))).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringContaining(`expects 6:${records[5]!.hash}`),
    });
    expect((await jsm.streams.info(where.stream)).state.last_seq).toBe(4);
  });

  it('accepts a stream one record ahead of its head, as a crash between publish and head leaves it', async () => {
    const where = names();
    const log = await open(where);
    const records = await fill(log, 3);
    // why: stored as the adapter would store it, but without moving the head, as a writer that crashed then would.
    const ahead: ChainedRecord = nextRecord(records[2]!, event('w', 4));
    await jetstream(admin).publish(where.subject, JSON.stringify(ahead), { expect: { lastSequence: 3 } });
    expect(await log.head()).toEqual({ seq: 3, hash: records[2]!.hash });
    expect(await verifyLog(log)).toEqual({ ok: true, checked: 4, firstSeq: 1, lastSeq: 4, problems: [] });
    const next = await (await open(where)).append(event('w', 5));
    expect(next).toMatchObject({ seq: 5, prevHash: ahead.hash });
    expect(await log.head()).toEqual({ seq: 5, hash: next.hash });
  });

  it('lets readers verify a stream whose head bucket does not exist yet, without making it', async () => {
    const where = names();
    await jsm.streams.add({ name: where.stream, subjects: [where.subject] });
    const records: ChainedRecord[] = [];
    for (let n = 1; n <= 2; n++) records.push(nextRecord(records.at(-1) ?? null, event('w', n)));
    for (const record of records) await jetstream(admin).publish(where.subject, JSON.stringify(record));
    const reader = await open({ ...where, manageStream: false });
    expect(await reader.head()).toBeNull();
    expect(await verifyLog(reader)).toMatchObject({ ok: true, checked: 2 });
    await expect(jsm.streams.info(headStream(where.stream))).rejects.toThrow();
  });
});
