import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  openFileAuditLog,
  openJetStreamAuditLog,
  type AuditEvent,
  type AuditLog,
  type ChainedRecord,
} from '@conexus/audit';
import { eventually, useNatsServer } from '@conexus/testkit';

// why: like cli.int.test.ts, these drive the built `conexus` binary against real logs; `npm test` builds it first.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(projectRoot, 'packages/cli/dist/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-cli-audit-'));
const nats = useNatsServer();
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function conexus(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, 'audit', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const event = (n: number): AuditEvent => ({
  kind: 'search',
  at: new Date().toISOString(),
  principal: { issuer: 'i', subject: 's', tenant: 't' },
  outcome: 'ok',
  query: `query ${n}`,
});

async function fill(log: AuditLog, from: number, to: number): Promise<ChainedRecord[]> {
  const records: ChainedRecord[] = [];
  for (let n = from; n <= to; n++) records.push(await log.append(event(n)));
  return records;
}

/** Copies a file log and its head, keeping only the first `keep` lines of the log. */
function cutCopy(from: string, to: string, keep: number): void {
  writeFileSync(
    to,
    readFileSync(from, 'utf8')
      .split('\n')
      .slice(0, keep)
      .map((line) => `${line}\n`)
      .join(''),
  );
  if (existsSync(`${from}.head`)) copyFileSync(`${from}.head`, `${to}.head`);
}

describe('conexus audit on a file log', () => {
  const path = join(scratch, 'audit.jsonl');
  let records: ChainedRecord[];
  beforeAll(async () => {
    const log = await openFileAuditLog(path);
    records = await fill(log, 1, 5);
    await log.close();
  });
  const head = (n: number) => `${n}:${records[n - 1]!.hash}`;

  it('verifies and exports an intact log', () => {
    expect(conexus('verify', '--file', path)).toEqual({
      code: 0,
      stdout: 'audit log intact: 5 records, seq 1-5\n',
      stderr: '',
    });
    const out = join(scratch, 'export.jsonl');
    expect(conexus('export', '--file', path, '--out', out)).toMatchObject({
      code: 0,
      stdout: `exported 5 records to ${out}\n`,
    });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path, 'utf8'));
    const tail = conexus('export', '--file', path, '--from-seq', '4');
    expect(
      tail.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).seq),
    ).toEqual([4, 5]);
    expect(conexus('verify', '--file', out).code).toBe(0);
  });

  it('fails with the seq of an edited record', () => {
    const edited = join(scratch, 'edited.jsonl');
    writeFileSync(edited, readFileSync(path, 'utf8').replace('query 3', 'query three'));
    expect(conexus('verify', '--file', edited)).toMatchObject({
      code: 1,
      stdout: 'audit log NOT intact: altered seq 3 (checked 5 records, seq 1-5)\n',
    });
  });

  it('reports a log whose last lines were removed as truncated, apart from tampering', () => {
    const cut = join(scratch, 'cut.jsonl');
    cutCopy(path, cut, 3);
    expect(conexus('verify', '--file', cut)).toEqual({
      code: 1,
      stdout: `audit log NOT intact: truncated after seq 3: seq 4-5 missing, expected head ${head(5)} (checked 3 records, seq 1-3)\n`,
      stderr: '',
    });
  });

  it('prints the head, and checks an export against it, against a head file, and against the head written beside it', () => {
    expect(conexus('head', '--file', path)).toEqual({ code: 0, stdout: `${head(5)}\n`, stderr: '' });
    const out = join(scratch, 'headed-export.jsonl');
    expect(conexus('export', '--file', path, '--out', out).code).toBe(0);
    expect(JSON.parse(readFileSync(`${out}.head`, 'utf8'))).toEqual({ seq: 5, hash: records[4]!.hash });
    expect(conexus('verify', '--file', out, '--head', head(5))).toMatchObject({
      code: 0,
      stdout: 'audit log intact: 5 records, seq 1-5\n',
    });

    // why: an export handed on without its head file, and cut short on the way.
    const bare = join(scratch, 'bare-export.jsonl');
    writeFileSync(bare, readFileSync(out, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    expect(conexus('verify', '--file', bare)).toMatchObject({
      code: 0,
      stdout:
        'audit log intact: 4 records, seq 1-4 (no head to check the tail against: records cut from the end would not show)\n',
    });
    expect(conexus('verify', '--file', bare, '--head', head(5))).toMatchObject({
      code: 1,
      stdout: `audit log NOT intact: truncated after seq 4: seq 5 missing, expected head ${head(5)} (checked 4 records, seq 1-4)\n`,
    });
    const kept = join(scratch, 'kept.head');
    writeFileSync(kept, `${head(5)}\n`);
    expect(conexus('verify', '--file', bare, '--head-file', kept)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('truncated after seq 4'),
    });
    expect(conexus('verify', '--file', bare, '--head-file', `${out}.head`)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('truncated after seq 4'),
    });
    expect(conexus('verify', '--file', bare, '--head', `4:${'0'.repeat(64)}`)).toMatchObject({
      code: 1,
      stdout: 'audit log NOT intact: altered seq 4 (checked 4 records, seq 1-4)\n',
    });

    const cut = join(scratch, 'cut-export.jsonl');
    cutCopy(out, cut, 2);
    expect(conexus('verify', '--file', cut)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(`truncated after seq 2: seq 3-5 missing, expected head ${head(5)}`),
    });
  });

  it('rejects bad invocations with a one-line message', () => {
    expect(conexus('verify')).toMatchObject({
      code: 2,
      stderr: 'conexus: give exactly one of --nats URL or --file PATH\n',
    });
    expect(conexus('verify', '--file', join(scratch, 'none.jsonl'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no audit log at'),
    });
    expect(conexus('export', '--file', path, '--from-seq', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--from-seq must be a positive integer'),
    });
    expect(conexus('shred', '--file', path)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown audit command "shred"'),
    });
    expect(conexus('verify', '--file', path, '--head', '5:abc')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--head 5:abc is not an audit head'),
    });
    expect(conexus('verify', '--file', path, '--head-file', join(scratch, 'none.head'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot read the head file'),
    });
    expect(conexus('export', '--file', path, '--head', head(5))).toMatchObject({
      code: 2,
      stderr: 'conexus: --head and --head-file apply to verify only\n',
    });
  });
});

describe('conexus audit on a JetStream log', () => {
  it('verifies the default stream, then names the seqs deleted from it', async () => {
    const log = await openJetStreamAuditLog({ servers: nats.url, denyDelete: false });
    await fill(log, 1, 6);
    await log.close();
    expect(conexus('verify', '--nats', nats.url)).toEqual({
      code: 0,
      stdout: 'audit log intact: 6 records, seq 1-6\n',
      stderr: '',
    });

    const admin = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.deleteMessage('CONEXUS_AUDIT', 2);
    await jsm.streams.deleteMessage('CONEXUS_AUDIT', 3);
    await admin.close();
    expect(conexus('verify', '--nats', nats.url)).toMatchObject({
      code: 1,
      stdout: 'audit log NOT intact: missing seq 2-3 (checked 4 records, seq 1-6)\n',
    });
    expect(
      conexus('export', '--nats', nats.url)
        .stdout.trim()
        .split('\n')
        .map((line) => JSON.parse(line).seq),
    ).toEqual([1, 4, 5, 6]);
  });

  it('reports the last messages deleted as truncated, and prints the head kept in KV', async () => {
    const where = ['--nats', nats.url, '--stream', 'AUDIT_CUT', '--subject', 'audit.cut'];
    const log = await openJetStreamAuditLog({
      servers: nats.url,
      stream: 'AUDIT_CUT',
      subject: 'audit.cut',
      denyDelete: false,
    });
    const records = await fill(log, 1, 5);
    await log.close();
    const head = `5:${records[4]!.hash}`;
    expect(conexus('head', ...where)).toEqual({ code: 0, stdout: `${head}\n`, stderr: '' });
    const admin = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.deleteMessage('AUDIT_CUT', 5);
    await jsm.streams.deleteMessage('AUDIT_CUT', 4);
    await admin.close();
    expect(conexus('verify', ...where)).toMatchObject({
      code: 1,
      stdout: `audit log NOT intact: truncated after seq 3: seq 4-5 missing, expected head ${head} (checked 3 records, seq 1-3)\n`,
    });
  });

  it('accepts a head removed by retention only with --allow-expired', async () => {
    const log = await openJetStreamAuditLog({
      servers: nats.url,
      stream: 'AUDIT_RETAINED',
      subject: 'audit.retained',
      maxAgeMs: 1_000,
    });
    await fill(log, 1, 3);
    const admin = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(admin);
    await eventually(
      async () => ((await jsm.streams.info('AUDIT_RETAINED')).state.messages === 0 ? true : undefined),
      15_000,
      'expiry',
    );
    await admin.close();
    await log.close();
    // why: turn retention off before appending more, so the checks below do not race the clock.
    const writer = await openJetStreamAuditLog({
      servers: nats.url,
      stream: 'AUDIT_RETAINED',
      subject: 'audit.retained',
      maxAgeMs: 0,
    });
    await fill(writer, 4, 5);
    await writer.close();
    const where = ['--nats', nats.url, '--stream', 'AUDIT_RETAINED', '--subject', 'audit.retained'];
    expect(conexus('verify', ...where, '--allow-expired')).toMatchObject({
      code: 0,
      stdout: 'audit log intact: 2 records, seq 4-5 (seq 1-3 expired under retention)\n',
    });
    expect(conexus('verify', ...where)).toMatchObject({
      code: 1,
      stdout: 'audit log NOT intact: missing seq 1-3 (checked 2 records, seq 4-5)\n',
    });
  });

  it('never creates a stream that is not there', () => {
    expect(conexus('verify', '--nats', nats.url, '--stream', 'NOPE')).toMatchObject({
      code: 2,
      stderr: 'conexus: audit stream NOPE does not exist\n',
    });
  });
});
