import {
  repositoryName,
  scheduleMs,
  type Condition,
  type ConexusRepository,
  type RepositoryPhase,
  type RepositoryStatus,
} from './conexus-repository.js';

/** The last index job Conexus reports for a repository. */
export interface IndexView {
  readonly jobId: string;
  /** `searchable`: lexical search answers while vectors are still computed. */
  readonly state: 'queued' | 'indexing' | 'searchable' | 'done' | 'failed';
  readonly commit: string;
  readonly chunks: number;
  readonly filesIndexed: number;
  readonly error: string;
  readonly at: string;
}

/** What to ask Conexus for: add (or re-add) from the spec, re-index the known source, or nothing. */
export type IndexAction = 'add' | 'reindex' | 'none';

/** How long a queued job may go unreported before the controller adds the repository again. */
export const UNREPORTED_JOB_MS = 5 * 60_000;
/** How often a repository is looked at while its job runs, and otherwise. */
export const POLL_WHILE_INDEXING_MS = 3_000;
export const RESYNC_MS = 60_000;

const FINISHED = new Set<IndexView['state']>(['searchable', 'done', 'failed']);

/** Decides whether the repository needs a job: a new spec or a repository Conexus does not know is added; a due schedule re-indexes. */
export function planIndexing(resource: ConexusRepository, index: IndexView | undefined, now: number): IndexAction {
  const status = resource.status ?? {};
  if (status.observedGeneration !== resource.metadata.generation) return 'add';
  const scheduledAt = status.lastScheduledAt ? Date.parse(status.lastScheduledAt) : Number.NaN;
  if (!index) return Number.isNaN(scheduledAt) || now - scheduledAt > UNREPORTED_JOB_MS ? 'add' : 'none';
  const interval = scheduleMs(resource.spec.schedule);
  if (
    interval === undefined ||
    resource.spec.suspend ||
    !FINISHED.has(index.state) ||
    !reportsJob(index, status.jobId, status.lastScheduledAt)
  )
    return 'none';
  return Number.isNaN(scheduledAt) || now - scheduledAt >= interval ? 'reindex' : 'none';
}

/** The status after this pass: `queuedJob` is the job just queued, if any. */
export function nextStatus(
  resource: ConexusRepository,
  index: IndexView | undefined,
  queuedJob: string | undefined,
  now: number,
): RepositoryStatus {
  const previous = resource.status ?? {};
  const jobId = queuedJob ?? previous.jobId;
  const lastScheduledAt = queuedJob ? new Date(now).toISOString() : previous.lastScheduledAt;
  // why: until the job just queued is reported, the last report is about an older job.
  const current = index && !queuedJob && reportsJob(index, jobId, lastScheduledAt) ? index : undefined;
  const reported = current ?? (index && FINISHED.has(index.state) && index.state !== 'failed' ? index : undefined);
  const phase = phaseOf(current, jobId);
  const since = lastScheduledAt ? Date.parse(lastScheduledAt) : now;
  const status: RepositoryStatus = {
    phase,
    repository: repositoryName(resource),
    commit: reported?.commit || previous.commit,
    chunks: reported ? reported.chunks : previous.chunks,
    filesIndexed: reported ? reported.filesIndexed : previous.filesIndexed,
    lagSeconds: phase === 'Indexing' || phase === 'Pending' ? Math.max(0, Math.round((now - since) / 1000)) : 0,
    jobId,
    lastIndexedAt: reported && reported.state !== 'failed' ? reported.at : previous.lastIndexedAt,
    lastScheduledAt,
    message: messageOf(current, phase),
    observedGeneration: resource.metadata.generation,
  };
  return { ...dropUndefined(status), conditions: [readyCondition(previous.conditions, phase, status, now)] };
}

/** When to look at the repository again. */
export function nextCheckMs(resource: ConexusRepository, status: RepositoryStatus, now: number): number {
  if (status.phase === 'Indexing' || status.phase === 'Pending') return POLL_WHILE_INDEXING_MS;
  const interval = scheduleMs(resource.spec.schedule);
  if (interval === undefined || resource.spec.suspend || !status.lastScheduledAt) return RESYNC_MS;
  const due = Date.parse(status.lastScheduledAt) + interval - now;
  return Math.max(1_000, Math.min(RESYNC_MS, due));
}

/** The status of a resource whose tenant has no credentials at the controller. */
export function missingCredentialsStatus(resource: ConexusRepository, now: number): RepositoryStatus {
  const previous = resource.status ?? {};
  const status: RepositoryStatus = {
    ...previous,
    phase: 'Failed',
    repository: repositoryName(resource),
    lagSeconds: 0,
    message: `the controller holds no credentials for tenant "${resource.spec.tenant}"`,
  };
  return {
    ...status,
    conditions: [condition(previous.conditions, 'False', 'NoCredentials', status.message!, resource, now)],
  };
}

/** Whether two statuses differ in anything but timestamps that only move while nothing else changes. */
export function statusChanged(before: RepositoryStatus | undefined, after: RepositoryStatus): boolean {
  return JSON.stringify(before ?? {}) !== JSON.stringify(after);
}

/**
 * Whether the report is about the job the controller queued (or a later one). A replica that took the shard over
 * knows no job ids: it reports the stored index, which counts once it was written after the job was queued.
 */
function reportsJob(index: IndexView, jobId: string | undefined, scheduledAt: string | undefined): boolean {
  if (index.jobId) return index.jobId === jobId;
  return index.state === 'done' && (!scheduledAt || Date.parse(index.at) >= Date.parse(scheduledAt));
}

function phaseOf(current: IndexView | undefined, jobId: string | undefined): RepositoryPhase {
  if (!current) return jobId ? 'Indexing' : 'Pending';
  if (current.state === 'failed') return 'Failed';
  return current.state === 'queued' || current.state === 'indexing' ? 'Indexing' : 'Ready';
}

function messageOf(current: IndexView | undefined, phase: RepositoryPhase): string {
  if (current?.state === 'failed') return current.error || 'the index job failed';
  if (current?.state === 'searchable') return 'searchable; embeddings are being computed';
  if (phase === 'Indexing') return current ? `job ${current.state}` : 'job queued';
  return phase === 'Ready' ? 'indexed' : 'waiting for the first job';
}

function readyCondition(
  previous: readonly Condition[] | undefined,
  phase: RepositoryPhase,
  status: RepositoryStatus,
  now: number,
): Condition {
  const [state, reason] =
    phase === 'Ready'
      ? (['True', 'Indexed'] as const)
      : phase === 'Failed'
        ? (['False', 'IndexFailed'] as const)
        : (['False', phase === 'Indexing' ? 'Indexing' : 'Pending'] as const);
  return condition(previous, state, reason, status.message ?? '', { generation: status.observedGeneration }, now);
}

function condition(
  previous: readonly Condition[] | undefined,
  state: Condition['status'],
  reason: string,
  message: string,
  resource: { generation?: number } | ConexusRepository,
  now: number,
): Condition {
  const generation = 'metadata' in resource ? resource.metadata.generation : resource.generation;
  const before = previous?.find((entry) => entry.type === 'Ready');
  // why: lastTransitionTime moves only when the condition's status does (the Kubernetes convention).
  const lastTransitionTime =
    before && before.status === state ? before.lastTransitionTime : new Date(now).toISOString();
  return dropUndefined({
    type: 'Ready',
    status: state,
    observedGeneration: generation,
    lastTransitionTime,
    reason,
    message,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
