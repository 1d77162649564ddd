import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState, type IndexEvent } from '@conexus/api';
import { secondsLeft, type DenseSummary, type IndexProgress, type IndexSummary } from '@conexus/engine';
import { createProgressThrottle } from '../domain/progress-throttle.js';

type EventFields = MessageInitShape<typeof IndexEventSchema>;
type ProgressFields = { done: number; total: number; perSecond: number; etaSeconds: number };
type CommitFields = Pick<IndexEvent, 'commit' | 'filesIndexed' | 'filesUnchanged' | 'filesRemoved' | 'chunks'>;

/** Publishes one index job's events, turning the engine's progress reports into INDEXING and EMBEDDING events. */
export interface JobReporter {
  readonly state: (state: IndexState, fields?: EventFields) => void;
  /** An engine progress report: files read while indexing, chunks embedded once the lexical snapshot committed. */
  readonly progress: (progress: IndexProgress) => void;
  /** The lexical snapshot committed: EMBEDDING when vectors follow in the background, else DONE. */
  committed(summary: IndexSummary): void;
  /** The background embedding ended: DONE when it finished, nothing when it was stopped (the job is re-run). */
  embedded(dense: DenseSummary): void;
  /** Milliseconds since the job started. */
  tookMs(): number;
}

/** What a reporter needs: the job, where events go, the clocks, and the least time between progress events. */
export interface JobReporterOptions {
  readonly repo: string;
  readonly jobId: string;
  readonly publish: (event: IndexEvent) => void;
  readonly now: () => Date;
  readonly progressEveryMs: number;
}

/** A reporter for one job; events carry the job's repository, id and time. */
export function createJobReporter(options: JobReporterOptions): JobReporter {
  const started = performance.now();
  const throttle = createProgressThrottle(options.progressEveryMs);
  let commitFields: CommitFields | null = null;
  let pendingEmbedding: IndexProgress | null = null;
  const tookMs = (): number => Math.round(performance.now() - started);
  const state = (state: IndexState, fields: EventFields = {}): void =>
    options.publish(
      create(IndexEventSchema, {
        repo: options.repo,
        jobId: options.jobId,
        state,
        at: options.now().toISOString(),
        ...fields,
      }),
    );
  const progressOf = ({ done, total, perSecond }: IndexProgress): ProgressFields => ({
    done,
    total,
    perSecond,
    etaSeconds: secondsLeft({ done, total, perSecond }) ?? 0,
  });
  return {
    state,
    tookMs,
    progress(progress) {
      if (progress.phase === 'embedding' && !commitFields) {
        // why: an EMBEDDING event says the lexical snapshot is searchable; before the commit it would be a lie.
        pendingEmbedding = progress;
        return;
      }
      if (!throttle(progress.phase, performance.now())) return;
      if (progress.phase === 'indexing') state(IndexState.INDEXING, { progress: progressOf(progress) });
      else state(IndexState.EMBEDDING, { ...commitFields, progress: progressOf(progress) });
    },
    committed(summary) {
      commitFields = {
        commit: summary.commit ?? '',
        filesIndexed: summary.filesIndexed,
        filesUnchanged: summary.filesUnchanged,
        filesRemoved: summary.filesDeleted,
        chunks: summary.chunks,
      };
      if (!summary.dense) return state(IndexState.DONE, { ...commitFields, tookMs: tookMs() });
      const progress = pendingEmbedding ?? { repo: options.repo, phase: 'embedding', done: 0, total: 0, perSecond: 0 };
      throttle('embedding', performance.now());
      state(IndexState.EMBEDDING, { ...commitFields, progress: progressOf(progress), tookMs: tookMs() });
    },
    embedded(dense) {
      if (!dense.complete) return;
      const perSecond = dense.seconds > 0 ? dense.embedded / dense.seconds : 0;
      state(IndexState.DONE, {
        ...commitFields,
        progress: { done: dense.embedded, total: dense.embedded, perSecond, etaSeconds: 0 },
        tookMs: tookMs(),
      });
    },
  };
}
