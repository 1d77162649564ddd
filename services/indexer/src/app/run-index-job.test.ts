import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { IndexJobSchema, IndexState, RepoSourceSchema, type IndexEvent } from '@conexus/api';
import type { Engine } from '@conexus/engine';
import { createSourceAccess } from '../adapters/create-source-access.js';
import { runIndexJob } from './run-index-job.js';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'conexus-run-job-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A stand-in for the engine: no repositories, and indexing fails the way an unexpected bug would.
const brokenEngine = {
  repoRows: () => [],
  index: async () => {
    throw new Error(`SQLITE_CORRUPT at ${scratch}/secret/shard.db`);
  },
} as unknown as Engine;
const sources = {
  pathRoots: [scratch],
  git: { schemes: ['https'] as const, hosts: ['github.com'] },
  fetchLimits: { timeoutMs: 5_000, maxBytes: 1_000_000 },
  checkoutsDir: join(scratch, 'checkouts'),
};

async function run(source: { case: 'path' | 'gitUrl'; value: string }) {
  const events: IndexEvent[] = [];
  const job = create(IndexJobSchema, { jobId: 'j1', repo: 'app', source: create(RepoSourceSchema, { source }) });
  const outcome = await runIndexJob(
    {
      engine: brokenEngine,
      sources: createSourceAccess(sources),
      publish: (event) => events.push(event),
      now: () => new Date(0),
    },
    job,
    () => {},
  );
  return { outcome, failed: events.find((event) => event.state === IndexState.FAILED) };
}

describe('runIndexJob failures', () => {
  it('publishes "internal error while indexing" for an unexpected error, keeping the detail for the log, and asks for a retry', async () => {
    const { outcome, failed } = await run({ case: 'path', value: scratch });
    expect(failed?.error).toBe('internal error while indexing');
    expect(outcome).toMatchObject({
      ok: false,
      retry: true,
      error: { code: 'internal', message: expect.stringContaining('SQLITE_CORRUPT') },
    });
  });

  it('refuses a git URL the policy refuses before fetching, for good', async () => {
    const { outcome, failed } = await run({ case: 'gitUrl', value: 'https://github.com\\@127.0.0.1:9999/x.git' });
    expect(failed?.error).toContain('refusing git URL');
    expect(outcome).toMatchObject({ ok: false, retry: false, error: { code: 'invalid_argument' } });
  });

  it('refuses a path outside the source roots with permission_denied, for good', async () => {
    const { outcome } = await run({ case: 'path', value: '/etc' });
    expect(outcome).toMatchObject({ ok: false, retry: false, error: { code: 'permission_denied' } });
  });
});
