import { describe, expect, it } from '@jest/globals';
import type { ConexusRepository } from './conexus-repository.js';
import {
  nextCheckMs,
  nextStatus,
  planIndexing,
  POLL_WHILE_INDEXING_MS,
  UNREPORTED_JOB_MS,
  type IndexView,
} from './plan-reconcile.js';
import { scheduleMs } from './conexus-repository.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const at = (ms: number): string => new Date(NOW - ms).toISOString();

function resource(
  status: ConexusRepository['status'] = {},
  spec: Partial<ConexusRepository['spec']> = {},
): ConexusRepository {
  return {
    metadata: { name: 'app', generation: 2, finalizers: [] },
    spec: { source: 'https://git.example/app.git', tenant: 'acme', ...spec },
    status,
  };
}

function job(state: IndexView['state'], jobId = 'j1'): IndexView {
  return {
    jobId,
    state,
    commit: 'abc123',
    chunks: 40,
    filesIndexed: 7,
    error: state === 'failed' ? 'clone refused' : '',
    at: at(1_000),
  };
}

describe('planIndexing', () => {
  it('adds a repository whose spec generation it has not seen, even when Conexus knows it', () => {
    expect(planIndexing(resource({ observedGeneration: 1, jobId: 'j1' }), job('done'), NOW)).toBe('add');
    expect(planIndexing(resource(), undefined, NOW)).toBe('add');
  });

  it('waits for a job it queued that is not reported yet, and adds again once it has waited too long', () => {
    const queued = (ago: number) => resource({ observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(ago) });
    expect(planIndexing(queued(10_000), undefined, NOW)).toBe('none');
    expect(planIndexing(queued(UNREPORTED_JOB_MS + 1), undefined, NOW)).toBe('add');
  });

  it('re-indexes on schedule once the last job finished, never while one runs or when suspended', () => {
    const due = resource({ observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(16 * 60_000) }, { schedule: '15m' });
    expect(planIndexing(due, job('done'), NOW)).toBe('reindex');
    expect(planIndexing(due, job('indexing'), NOW)).toBe('none');
    expect(planIndexing({ ...due, spec: { ...due.spec, suspend: true } }, job('done'), NOW)).toBe('none');
    const early = resource(
      { observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(5 * 60_000) },
      { schedule: '15m' },
    );
    expect(planIndexing(early, job('done'), NOW)).toBe('none');
    expect(
      planIndexing(
        resource({ observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(60 * 60_000) }),
        job('done'),
        NOW,
      ),
    ).toBe('none');
  });
});

describe('nextStatus', () => {
  it('reports a job just queued as Indexing with the new job and generation, keeping the last indexed commit', () => {
    const before = resource({ observedGeneration: 1, jobId: 'j1', commit: 'old', chunks: 3, phase: 'Ready' });
    const status = nextStatus(before, job('done', 'j1'), 'j2', NOW);
    expect(status).toMatchObject({
      phase: 'Indexing',
      jobId: 'j2',
      observedGeneration: 2,
      commit: 'abc123',
      lagSeconds: 0,
    });
    expect(status.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'Indexing' });
  });

  it('reports the finished job as Ready with its commit, chunks and no lag', () => {
    const status = nextStatus(
      resource({ observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(30_000) }),
      job('done'),
      undefined,
      NOW,
    );
    expect(status).toMatchObject({
      phase: 'Ready',
      commit: 'abc123',
      chunks: 40,
      filesIndexed: 7,
      lagSeconds: 0,
      repository: 'app',
    });
    expect(status.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Indexed', observedGeneration: 2 });
  });

  it('counts the lag from when the job was queued while it runs', () => {
    const status = nextStatus(
      resource({ observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(42_000) }),
      job('indexing'),
      undefined,
      NOW,
    );
    expect(status).toMatchObject({ phase: 'Indexing', lagSeconds: 42 });
  });

  it('counts a stored index written after the job was queued as that job, as a replica that took the shard over reports it', () => {
    const queued = resource({ observedGeneration: 2, jobId: 'j1', lastScheduledAt: at(60_000) }, { schedule: '1m' });
    const stored = { ...job('done', ''), at: at(30_000) };
    expect(nextStatus(queued, stored, undefined, NOW)).toMatchObject({
      phase: 'Ready',
      commit: 'abc123',
      lagSeconds: 0,
    });
    expect(planIndexing(queued, stored, NOW)).toBe('reindex');
    const older = { ...stored, at: at(90_000) };
    expect(nextStatus(queued, older, undefined, NOW)).toMatchObject({ phase: 'Indexing' });
  });

  it("reports a failed job with the indexer's reason", () => {
    const status = nextStatus(resource({ observedGeneration: 2, jobId: 'j1' }), job('failed'), undefined, NOW);
    expect(status).toMatchObject({ phase: 'Failed', message: 'clone refused' });
    expect(status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'IndexFailed' });
  });

  it('keeps the condition transition time while its status holds', () => {
    const first = nextStatus(resource({ observedGeneration: 2, jobId: 'j1' }), job('done'), undefined, NOW - 60_000);
    const again = nextStatus(resource({ ...first }), job('done'), undefined, NOW);
    expect(again.conditions?.[0]?.lastTransitionTime).toBe(first.conditions?.[0]?.lastTransitionTime);
  });
});

describe('nextCheckMs and scheduleMs', () => {
  it('polls while indexing and wakes when the schedule is due', () => {
    expect(nextCheckMs(resource(), { phase: 'Indexing' }, NOW)).toBe(POLL_WHILE_INDEXING_MS);
    expect(nextCheckMs(resource({}, { schedule: '1m' }), { phase: 'Ready', lastScheduledAt: at(50_000) }, NOW)).toBe(
      10_000,
    );
  });

  it('reads intervals such as 1h30m and refuses anything else', () => {
    expect(scheduleMs('1h30m')).toBe(5_400_000);
    expect(scheduleMs('90s')).toBe(90_000);
    expect(scheduleMs('0m')).toBeUndefined();
    expect(scheduleMs('15 minutes')).toBeUndefined();
    expect(scheduleMs(undefined)).toBeUndefined();
  });
});
