import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexJobSchema, IndexState, RepoSourceSchema, type IndexEvent } from '@conexus/api';
import { createInProcessBus } from '@conexus/bus';
import { createChunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { createEngine, type Engine } from '@conexus/engine';
import { ALL_INDEX_EVENTS, indexEventSubject } from '@conexus/wire';
import { createSourceAccess } from '../adapters/create-source-access.js';
import { runIndexJob } from './run-index-job.js';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'conexus-job-events-')));
const repo = join(scratch, 'repo');
const bus = createInProcessBus();
const events: IndexEvent[] = [];
let engine: Engine;
let embedCalls = 0;

// A fake model that takes its time, so the dense phase is seen running after the lexical snapshot.
const slowEmbedder: Embedder = {
  id: 'slow-fake',
  embedDocuments: async (texts) => {
    embedCalls += 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
    return texts.map(() => Float32Array.of(1, 0, 0));
  },
  embedQuery: async () => Float32Array.of(1, 0, 0),
  close: async () => undefined,
};

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  for (let file = 0; file < 40; file += 1)
    writeFileSync(
      join(repo, `module${file}.ts`),
      `export function handler${file}(input: string) {\n  return input + ${file};\n}\n`,
    );
  engine = createEngine({ dataDir: join(scratch, 'data'), chunker: await createChunker(), embedder: slowEmbedder });
  bus.subscribe(ALL_INDEX_EVENTS, (message) => void events.push(fromBinary(IndexEventSchema, message.data)));
});

afterAll(async () => {
  await engine.close();
  await bus.close();
  rmSync(scratch, { recursive: true, force: true });
});

it('publishes INDEXING, then EMBEDDING with the committed snapshot once the job resolves, then DONE when vectors are in', async () => {
  const job = create(IndexJobSchema, {
    jobId: 'j1',
    repo: 'app',
    source: create(RepoSourceSchema, { source: { case: 'path', value: repo } }),
  });
  const deps = {
    engine,
    sources: createSourceAccess({
      pathRoots: [scratch],
      git: { schemes: ['https'] as const, hosts: [] },
      fetchLimits: { timeoutMs: 5_000, maxBytes: 1_000_000 },
      checkoutsDir: join(scratch, 'checkouts'),
    }),
    publish: (event: IndexEvent) => bus.publish(indexEventSubject(event.repo), toBinary(IndexEventSchema, event)),
    now: () => new Date(),
    progressEveryMs: 0,
  };
  const outcome = await runIndexJob(deps, job, () => {});
  if (!outcome.ok) throw outcome.error;
  await new Promise((resolve) => setImmediate(resolve));
  const atCommit = events.map((event) => event.state);
  expect(atCommit[0]).toBe(IndexState.INDEXING);
  expect(atCommit).toContain(IndexState.EMBEDDING);
  expect(atCommit).not.toContain(IndexState.FAILED);

  expect(await outcome.dense).toEqual({ ok: true, complete: true, embedded: expect.any(Number) });
  await new Promise((resolve) => setImmediate(resolve));
  const states = events.map((event) => event.state);
  const firstEmbedding = states.indexOf(IndexState.EMBEDDING);
  expect(
    states.slice(firstEmbedding).every((state) => state === IndexState.EMBEDDING || state === IndexState.DONE),
  ).toBe(true);
  expect(states.at(-1)).toBe(IndexState.DONE);
  expect(states.filter((state) => state === IndexState.DONE)).toHaveLength(1);
  expect(events[firstEmbedding]).toMatchObject({ commit: '', filesIndexed: 40, chunks: expect.any(Number) });
  const done = events.at(-1)!;
  expect(done.chunks).toBeGreaterThanOrEqual(40);
  expect(done.progress?.done).toBeGreaterThan(0);
  expect(embedCalls).toBeGreaterThan(0);
  // Progress events of the indexing phase count files, those of the embedding phase count chunks.
  for (const event of events.filter((event) => event.state === IndexState.INDEXING && event.progress))
    expect(event.progress!.total).toBe(40);
});
