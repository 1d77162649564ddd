import { join } from 'node:path';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState, RepoSourceSchema, type IndexEvent, type IndexJob } from '@conexus/api';
import type { Engine } from '@conexus/engine';
import { ConexusError, contentHash } from '@conexus/kernel';
import type { SourceAccess } from '../ports/source-access.js';

/** What running an index job needs. */
export interface IndexJobDeps {
  readonly engine: Engine;
  readonly sources: SourceAccess;
  readonly publish: (event: IndexEvent) => void;
  readonly now: () => Date;
}

/** How a job ended: done, or failed with the full error (for the log) and whether a redelivery may help. */
export type IndexJobOutcome =
  { readonly ok: true } | { readonly ok: false; readonly error: ConexusError; readonly retry: boolean };

const PROGRESS_EVERY_MS = 5_000;
const RETRYABLE = new Set(['unavailable', 'deadline_exceeded', 'internal']);

/**
 * Runs one index job: check and fetch the source, index it incrementally, report progress.
 * Re-running a job has the effect of running it once: a snapshot replaces the repository's files atomically.
 * A failure is published with the error's own message (fetch failures say only "could not fetch the repository";
 * unexpected errors say nothing more); the details stay in the returned error for the log.
 */
export async function runIndexJob(deps: IndexJobDeps, job: IndexJob, progress: () => void): Promise<IndexJobOutcome> {
  const started = performance.now();
  const event = (state: IndexState, fields: MessageInitShape<typeof IndexEventSchema> = {}): void =>
    deps.publish(
      create(IndexEventSchema, { repo: job.repo, jobId: job.jobId, state, at: deps.now().toISOString(), ...fields }),
    );
  const heartbeat = setInterval(progress, PROGRESS_EVERY_MS);
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
    return { ok: true };
  } catch (reason) {
    const error = ConexusError.from(reason);
    // why: an unexpected error's message may carry paths or tool output; callers learn only that it happened.
    const shown = error.code === 'internal' ? 'internal error while indexing' : error.message;
    event(IndexState.FAILED, { error: shown, tookMs: Math.round(performance.now() - started) });
    return { ok: false, error, retry: RETRYABLE.has(error.code) };
  } finally {
    clearInterval(heartbeat);
  }
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
