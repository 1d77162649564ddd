import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { IndexState, RepoSourceSchema, type IndexEvent, type IndexJob } from '@conexus/api';
import type { Engine } from '@conexus/engine';
import { ConexusError, contentHash } from '@conexus/kernel';
import type { SourceAccess } from '../ports/source-access.js';
import { createJobReporter } from './create-job-reporter.js';

/** What running an index job needs. */
export interface IndexJobDeps {
  readonly engine: Engine;
  readonly sources: SourceAccess;
  readonly publish: (event: IndexEvent) => void;
  readonly now: () => Date;
  /** Stops the job: an unfinished lexical snapshot is rolled back, embedding stops; what was committed stays. */
  readonly signal?: AbortSignal;
  /** The least time between two progress events of a phase; default 500 ms. */
  readonly progressEveryMs?: number;
}

/** How the background embedding of a job ended: finished, stopped, or failed (the lexical snapshot stays). */
export type DenseOutcome =
  | { readonly ok: true; readonly complete: boolean; readonly embedded: number }
  | { readonly ok: false; readonly error: ConexusError };

/**
 * How a job ended: its lexical snapshot committed (with the embedding that follows it, null when there is none;
 * that promise never rejects), or failed with the full error (for the log) and whether a redelivery may help.
 */
export type IndexJobOutcome =
  | { readonly ok: true; readonly dense: Promise<DenseOutcome> | null }
  | { readonly ok: false; readonly error: ConexusError; readonly retry: boolean };

const HEARTBEAT_EVERY_MS = 5_000;
const RETRYABLE = new Set(['unavailable', 'deadline_exceeded', 'internal']);

/**
 * Runs one index job: check and fetch the source, index it incrementally, report progress. It resolves when the
 * lexical snapshot commits (INDEXING, then EMBEDDING while vectors are computed in the background, then DONE).
 * Re-running a job has the effect of running it once: a snapshot replaces the repository's files atomically.
 * A failure is published with the error's own message (fetch failures say only "could not fetch the repository";
 * unexpected errors say nothing more); the details stay in the returned error for the log. A job stopped by its
 * signal publishes nothing more and asks for a redelivery.
 */
export async function runIndexJob(deps: IndexJobDeps, job: IndexJob, progress: () => void): Promise<IndexJobOutcome> {
  const reporter = createJobReporter({
    repo: job.repo,
    jobId: job.jobId,
    publish: deps.publish,
    now: deps.now,
    progressEveryMs: deps.progressEveryMs ?? 500,
  });
  const event = reporter.state;
  const heartbeat = setInterval(progress, HEARTBEAT_EVERY_MS);
  try {
    let directory: string;
    const checkout = join(deps.sources.checkoutsDir, contentHash('checkout', job.repo));
    const source = job.source?.source.case ? deps.sources.check(job.source) : null;
    if (source?.kind === 'git') {
      event(IndexState.FETCHING);
      directory = await deps.sources.fetch(source.url, source.ref, checkout, progress);
    } else if (source?.kind === 'path') {
      directory = source.directory;
    } else {
      directory = await knownSource(deps, job.repo, checkout, progress, () => event(IndexState.FETCHING));
    }
    deps.signal?.throwIfAborted();
    event(IndexState.INDEXING);
    const summary = await deps.engine.index(directory, job.repo, {
      signal: deps.signal,
      onProgress: reporter.progress,
    });
    reporter.committed(summary);
    const dense = summary.dense?.then(
      (result): DenseOutcome => {
        reporter.embedded(result);
        return { ok: true, complete: result.complete, embedded: result.embedded };
      },
      (reason: unknown): DenseOutcome => {
        const error = ConexusError.from(reason);
        event(IndexState.FAILED, { error: `embedding failed: ${shownMessage(error)}`, tookMs: reporter.tookMs() });
        return { ok: false, error };
      },
    );
    return { ok: true, dense: dense ?? null };
  } catch (reason) {
    if (deps.signal?.aborted) {
      // why: a stopped job is not a failed one; it stays unacknowledged and another delivery runs it again.
      return { ok: false, error: new ConexusError('cancelled', 'the indexer stopped', { cause: reason }), retry: true };
    }
    const error = ConexusError.from(reason);
    event(IndexState.FAILED, { error: shownMessage(error), tookMs: reporter.tookMs() });
    return { ok: false, error, retry: RETRYABLE.has(error.code) };
  } finally {
    clearInterval(heartbeat);
  }
}

// why: an unexpected error's message may carry paths or tool output; callers learn only that it happened.
function shownMessage(error: ConexusError): string {
  return error.code === 'internal' ? 'internal error while indexing' : error.message;
}

// why: a re-index job names no source; the repository's clone (or server-side path) says where it came from, and
// that is checked again like a new source, since the policy may have changed since.
async function knownSource(
  deps: IndexJobDeps,
  repo: string,
  checkout: string,
  progress: () => void,
  fetching: () => void,
): Promise<string> {
  const known = deps.engine.repoRows().find((candidate) => candidate.name === repo);
  if (!known) throw new ConexusError('not_found', `unknown repository "${repo}"`);
  if (known.root !== checkout) return deps.sources.allowedDirectory(known.root);
  fetching();
  const origin = deps.sources.check(
    create(RepoSourceSchema, { source: { case: 'gitUrl', value: await deps.sources.origin(checkout) } }),
  );
  if (origin.kind !== 'git') throw new ConexusError('internal', 'a git origin checked as a path');
  return await deps.sources.fetch(origin.url, '', checkout, progress);
}
