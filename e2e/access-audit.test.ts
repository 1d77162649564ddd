import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Effect } from '@conexus/api';
import {
  DEFAULT_AUDIT_STREAM,
  DEFAULT_AUDIT_SUBJECT,
  openJetStreamAuditLog,
  type AuditEvent,
  type ChainedRecord,
} from '@conexus/audit';
import { connectGateway } from '@conexus/client';
import { eventually, ROOT } from '@conexus/testkit';
import { codeOf, startAccessWorld, type AccessWorld } from './support/start-access-world.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-access-audit-'));
const EMAIL = 'alice@acme.example';
let world: AccessWorld;
let grantId: string;
let records: ChainedRecord[];

/** Runs the built `conexus audit` against the cluster's NATS server. */
function conexusAudit(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'packages/cli/dist/main.js'), 'audit', ...args, '--nats', world.nats.url],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function readAuditLog(): Promise<ChainedRecord[]> {
  const log = await openJetStreamAuditLog({ servers: world.nats.url, manageStream: false });
  try {
    const read: ChainedRecord[] = [];
    for await (const record of log.read()) read.push(record);
    return read;
  } finally {
    await log.close();
  }
}

beforeAll(async () => {
  world = await startAccessWorld(scratch);
  const { url } = world.cluster;
  const admin = connectGateway(url, world.adminToken);
  grantId = (
    await admin.policy.grant({
      grant: {
        case: 'rule',
        value: { subject: world.user('alice'), repo: 'web', path: 'src/cart.ts', effect: Effect.ALLOW },
      },
    })
  ).id;
  const alice = connectGateway(url, await world.token('alice', { email: EMAIL, email_verified: true }));
  await eventually(
    async () => ((await alice.context.search({ query: 'zqcart' })).results.length > 0 ? true : undefined),
    5_000,
    'the grant to apply',
  );
  await alice.context.getFile({ repo: 'web', path: 'src/cart.ts' });
  expect(await codeOf(alice.context.getFile({ repo: 'web', path: 'src/secret/keys.ts' }))).toBe(Code.NotFound);
  expect(await codeOf(connectGateway(url, 'not-a-token').context.search({ query: 'zqcart' }))).toBe(
    Code.Unauthenticated,
  );
  expect(await codeOf(alice.policy.listPolicies({}))).toBe(Code.PermissionDenied);
  expect(
    (await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
  ).toBe(401);
  records = await eventually(
    async () => {
      const read = await readAuditLog();
      return read.some((record) => record.event.kind === 'policy_change') ? read : undefined;
    },
    10_000,
    'the policy change to be recorded',
  );
}, 300_000);

afterAll(async () => {
  if (process.env.CONEXUS_E2E_LOGS) writeFileSync(process.env.CONEXUS_E2E_LOGS, world?.cluster.logs() ?? '');
  await world?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

describe('the audit log of a cluster with access control', () => {
  const events = (kind: AuditEvent['kind']) =>
    records.map((record) => record.event).filter((event) => event.kind === kind);
  const alice = () => ({ issuer: world.idp.issuer, subject: 'alice', tenant: 'acme' });
  const root = () => ({ issuer: world.idp.issuer, subject: 'root', tenant: 'acme' });

  it('records who searched and which code left, by path and commit, never by email', () => {
    const search = events('search').find(
      (event) => event.principal?.subject === 'alice' && event.outcome === 'ok' && (event.chunks ?? []).length > 0,
    );
    expect(search).toMatchObject({
      principal: alice(),
      query: 'zqcart',
      chunks: [{ repo: 'web', path: 'src/cart.ts', commit: expect.stringMatching(/^[0-9a-f]{40}$/) }],
    });
    expect(Object.keys(search!.principal!).sort()).toEqual(['issuer', 'subject', 'tenant']);
    expect(JSON.stringify(records)).not.toContain(EMAIL);
  });

  it('records file reads, refused reads, authentication failures and admin calls', () => {
    expect(events('read')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          principal: alice(),
          outcome: 'ok',
          chunks: [
            expect.objectContaining({
              repo: 'web',
              path: 'src/cart.ts',
              commit: expect.stringMatching(/^[0-9a-f]{40}$/),
            }),
          ],
        }),
        expect.objectContaining({ principal: alice(), outcome: 'denied', repos: ['web'], chunks: [] }),
      ]),
    );
    for (const method of ['conexus.v1.ContextService/Search', '/mcp']) {
      expect(events('auth_failure')).toContainEqual(
        expect.objectContaining({ principal: null, outcome: 'denied', detail: expect.objectContaining({ method }) }),
      );
    }
    expect(events('admin')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principal: root(), outcome: 'ok', detail: { method: 'grant' } }),
        expect.objectContaining({ principal: alice(), outcome: 'denied', detail: { method: 'listPolicies' } }),
      ]),
    );
  });

  it('records who added a repository', () => {
    expect(events('index')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          principal: root(),
          outcome: 'ok',
          repos: ['web'],
          detail: expect.objectContaining({ method: 'AddRepo', source: 'path' }),
        }),
      ]),
    );
  });

  it('records the grant as a policy change from the policy service', () => {
    const change = events('policy_change').find((event) => event.detail?.id === grantId);
    expect(change).toMatchObject({
      principal: root(),
      outcome: 'ok',
      detail: { action: 'grant', subject: world.user('alice'), repo: 'web', path: 'src/cart.ts', effect: 'allow' },
    });
    expect(Object.keys(change!.principal!).sort()).toEqual(['issuer', 'subject', 'tenant']);
  });

  it('verifies and exports with the built CLI', () => {
    expect(conexusAudit('verify')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^audit log intact: \d+ records, seq 1-\d+\n$/),
    });
    const out = join(scratch, 'audit.jsonl');
    expect(conexusAudit('export', '--out', out)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^exported \d+ records to /),
    });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const exported = lines.map((line) => JSON.parse(line) as ChainedRecord);
    expect(exported.length).toBeGreaterThanOrEqual(records.length);
    expect(exported.map((record) => record.seq)).toEqual(exported.map((_, index) => index + 1));
  });

  it('refuses to delete or purge audit records, and detects a record forged around the log', async () => {
    const nc = await connect({ servers: world.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      await expect(jsm.streams.deleteMessage(DEFAULT_AUDIT_STREAM, 1)).rejects.toThrow();
      await expect(jsm.streams.purge(DEFAULT_AUDIT_STREAM)).rejects.toThrow();
      expect((await jsm.streams.info(DEFAULT_AUDIT_STREAM)).config).toMatchObject({
        deny_delete: true,
        deny_purge: true,
      });
      expect((await readAuditLog())[0]?.seq).toBe(1);

      // why: with deletes refused, the one way left to tamper is to publish a record past the adapter.
      const last = (await readAuditLog()).at(-1)!;
      const forged = {
        seq: last.seq + 1,
        prevHash: last.hash,
        hash: last.hash,
        event: { ...last.event, principal: null, detail: { forged: 'yes' } },
      };
      await jetstream(nc).publish(DEFAULT_AUDIT_SUBJECT, JSON.stringify(forged));
      expect(conexusAudit('verify')).toMatchObject({
        code: 1,
        stdout: expect.stringContaining(`NOT intact: altered seq ${forged.seq}`),
      });
    } finally {
      await nc.close();
    }
  });
});
