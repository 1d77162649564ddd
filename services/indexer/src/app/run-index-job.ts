import { realpathSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState, type IndexEvent, type IndexJob } from '@conexus/api';
import type { Engine } from '@conexus/engine';
import { ConexusError, contentHash } from '@conexus/kernel';
import { fetchGitSource, originUrl, type FetchLimits } from '../adapters/git/fetch-git-source.js';
import type { GitUrlPolicy } from '../adapters/git/git-url-policy.js';

/** Where sources may come from and where clones go. */
export interface SourcePolicy {
  /** Directories under which server-side paths may be indexed; null allows any (the embedded server). */
  readonly pathRoots: readonly string[] | null;
  readonly git: GitUrlPolicy;
  readonly fetchLimits: FetchLimits;
  /** Where git URLs are cloned, one directory per repository. */
  readonly checkoutsDir: string;
}

/** What running an index job needs. */
export interface IndexJobDeps {
  readonly engine: Engine;
  readonly sources: SourcePolicy;
  readonly publish: (event: IndexEvent) => void;
  readonly now: () => Date;
}

const PROGRESS_EVERY_MS = 5_000;
const RETRYABLE = new Set(['unavailable', 'deadline_exceeded', 'internal']);

/**
 * Runs one index job: fetch the source, index it incrementally, report progress.
 * Re-running a job has the effect of running it once: a snapshot replaces the repository's files atomically.
 * Resolves for done and permanent failures (the job is acknowledged); rejects for transient ones (redelivered).
 */
export async function runIndexJob(deps: IndexJobDeps, job: IndexJob, progress: () => void): Promise<void> {
  const started = performance.now();
  const event = (state: IndexState, fields: MessageInitShape<typeof IndexEventSchema> = {}): void =>
    deps.publish(create(IndexEventSchema, { repo: job.repo, jobId: job.jobId, state, at: deps.now().toISOString(), ...fields }));
  const heartbeat = setInterval(progress, PROGRESS_EVERY_MS);
  try {
    let directory: string;
    if (job.source?.source.case === 'gitUrl') {
      event(IndexState.FETCHING);
      const checkout = join(deps.sources.checkoutsDir, contentHash('checkout', job.repo));
      directory = await fetchGitSource(job.source.source.value, job.source.ref, checkout, deps.sources.git, deps.sources.fetchLimits, progress);
    } else if (job.source?.source.case === 'path') {
      directory = allowedPath(job.source.source.value, deps.sources.pathRoots);
    } else {
      directory = await knownSource(deps, job.repo, progress, () => event(IndexState.FETCHING));
    }
    event(IndexState.INDEXING);
    const summary = await deps.engine.index(directory, job.repo);
    event(IndexState.DONE, {
      commit: summary.commit ?? '',
      filesIndexed: summary.filesIndexed,
      filesUnchanged: summary.filesUnchanged,
      filesRemoved: summary.filesDeleted,
      chunks: summary.chunks,
      tookMs: Math.round(performance.now() - started),
    });
  } catch (reason) {
    const error = ConexusError.from(reason);
    event(IndexState.FAILED, { error: error.message, tookMs: Math.round(performance.now() - started) });
    if (RETRYABLE.has(error.code)) throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

// why: a re-index job names no source; the repository's clone (or server-side path) says where it came from.
async function knownSource(deps: IndexJobDeps, repo: string, progress: () => void, fetching: () => void): Promise<string> {
  const known = deps.engine.repoRows().find((candidate) => candidate.name === repo);
  if (!known) throw new ConexusError('not_found', `unknown repository "${repo}"`);
  const checkout = join(deps.sources.checkoutsDir, contentHash('checkout', repo));
  if (known.root !== checkout) return allowedPath(known.root, deps.sources.pathRoots);
  fetching();
  const url = await originUrl(checkout);
  return await fetchGitSource(url, '', checkout, deps.sources.git, deps.sources.fetchLimits, progress);
}

function allowedPath(path: string, roots: readonly string[] | null): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new ConexusError('not_found', `no such directory on the indexer: ${path}`);
  }
  if (roots === null) return real;
  const inside = roots.some((root) => {
    const offset = relative(realpathSync(root), real);
    return !offset.startsWith('..') && !isAbsolute(offset);
  });
  if (!inside) throw new ConexusError('invalid_argument', `${path} is outside the directories this indexer may read (CONEXUS_SOURCE_ROOTS)`);
  return real;
}
