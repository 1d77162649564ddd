import { describe, expect, it } from '@jest/globals';
import { IndexState, type IndexEvent } from '@conexus/api';
import type { IndexSummary } from '@conexus/engine';
import { createJobReporter } from './create-job-reporter.js';

function reporter(progressEveryMs = 60_000) {
  const events: IndexEvent[] = [];
  const report = createJobReporter({
    repo: 'app',
    jobId: 'j1',
    publish: (event) => events.push(event),
    now: () => new Date(0),
    progressEveryMs,
  });
  const shown = () =>
    events.map((event) => [IndexState[event.state], event.progress?.done ?? null, event.progress?.total ?? null]);
  return { report, events, shown };
}

const summary = (dense: IndexSummary['dense']): IndexSummary => ({
  repo: 'app',
  commit: 'abc123',
  filesSeen: 3,
  filesIndexed: 2,
  filesUnchanged: 1,
  filesDeleted: 0,
  skipped: {},
  redactions: [],
  chunks: 40,
  chunksWritten: 30,
  bytesIndexed: 1_000,
  embedded: 0,
  seconds: 0.5,
  embedSeconds: 0,
  dense,
});

describe('createJobReporter', () => {
  it('publishes file progress while indexing, then EMBEDDING with the commit and chunk progress, then DONE', () => {
    const { report, events, shown } = reporter();
    report.state(IndexState.INDEXING);
    report.progress({ repo: 'app', phase: 'indexing', done: 1, total: 3, perSecond: 10 });
    report.progress({ repo: 'app', phase: 'indexing', done: 2, total: 3, perSecond: 10 });
    // Reported before index() resolves: held until the snapshot is committed.
    report.progress({ repo: 'app', phase: 'embedding', done: 0, total: 30, perSecond: 0 });
    report.committed(summary(new Promise(() => {})));
    report.progress({ repo: 'app', phase: 'embedding', done: 10, total: 30, perSecond: 20 });
    report.embedded({ embedded: 30, seconds: 1.5, complete: true });
    expect(shown()).toEqual([
      ['INDEXING', null, null],
      ['INDEXING', 1, 3],
      ['EMBEDDING', 0, 30],
      ['DONE', 30, 30],
    ]);
    const embedding = events[2]!;
    expect(embedding).toMatchObject({ commit: 'abc123', filesIndexed: 2, filesUnchanged: 1, chunks: 40 });
    expect(events[3]).toMatchObject({ commit: 'abc123', chunks: 40, progress: { perSecond: 20 } });
  });

  it('computes the time left from the rate, and passes one progress event per interval', async () => {
    const { report, events } = reporter(20);
    report.committed(summary(new Promise(() => {})));
    report.progress({ repo: 'app', phase: 'embedding', done: 10, total: 110, perSecond: 20 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    report.progress({ repo: 'app', phase: 'embedding', done: 10, total: 110, perSecond: 20 });
    expect(events.map((event) => event.progress?.etaSeconds)).toEqual([0, 5]);
  });

  it('says DONE right after the commit when no vectors follow, and nothing when embedding was stopped', () => {
    const lexical = reporter();
    lexical.report.committed(summary(null));
    expect(lexical.shown()).toEqual([['DONE', null, null]]);
    expect(lexical.events[0]).toMatchObject({ commit: 'abc123', chunks: 40 });

    const stopped = reporter();
    stopped.report.committed(summary(new Promise(() => {})));
    stopped.report.embedded({ embedded: 12, seconds: 1, complete: false });
    expect(stopped.shown()).toEqual([['EMBEDDING', 0, 0]]);
  });
});
