import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexJobSchema, IndexState, RepoSourceSchema, type IndexEvent } from '@conexus/api';
import { createInProcessBus } from '@conexus/bus';
import { createChunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { createShardedEngine } from '@conexus/engine';
import { SILENT_LOGGER } from '@conexus/telemetry';
import { ALL_INDEX_EVENTS, shardQueue } from '@conexus/wire';
import { startIndexerService } from './indexer-service.js';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'conexus-indexer-stop-')));
const repo = join(scratch, 'big');

// A fake model that takes its time, so a stop can land while vectors are computed.
const slowEmbedder: Embedder = {
  id: 'slow-fake',
  embedDocuments: async (texts) => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return texts.map(() => Float32Array.of(1, 0, 0));
  },
  embedQuery: async () => Float32Array.of(1, 0, 0),
  close: async () => undefined,
};

beforeAll(() => {
  for (let dir = 0; dir < 20; dir += 1) {
    mkdirSync(join(repo, `pkg${dir}`), { recursive: true });
    for (let file = 0; file < 50; file += 1) {
      const body = Array.from(
        { length: 12 },
        (_, fn) => `export function f${dir}_${file}_${fn}(x: number) {\n  return x * ${fn} + ${file};\n}\n`,
      );
      writeFileSync(join(repo, `pkg${dir}`, `m${file}.ts`), body.join('\n'));
    }
  }
});

afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

/** Runs one job on a fresh indexer and stops the indexer at the first event in `stopAt`; how long stop took. */
async function stopDuring(name: string, stopAt: IndexState, embedder: Embedder | null) {
  const bus = createInProcessBus();
  const engines = createShardedEngine({
    dataDir: join(scratch, `data-${name}`),
    shardCount: 1,
    chunker: await createChunker(),
    chunkWorkers: 2,
    embedder,
  });
  const service = await startIndexerService({
    bus,
    engines,
    replica: name,
    solo: true,
    log: SILENT_LOGGER,
    sources: {
      pathRoots: [scratch],
      git: { schemes: ['https'], hosts: [] },
      fetchLimits: { timeoutMs: 5_000, maxBytes: 1_000_000 },
      checkoutsDir: join(scratch, `checkouts-${name}`),
    },
  });
  const events: IndexEvent[] = [];
  const stopped = new Promise<number>((resolve) =>
    bus.subscribe(ALL_INDEX_EVENTS, (message) => {
      const event = fromBinary(IndexEventSchema, message.data);
      events.push(event);
      if (event.state !== stopAt || events.filter((seen) => seen.state === stopAt).length > 1) return;
      const started = performance.now();
      void service.stop().then(() => resolve(performance.now() - started));
    }),
  );
  const job = create(IndexJobSchema, {
    jobId: name,
    repo: 'big',
    source: create(RepoSourceSchema, { source: { case: 'path', value: repo } }),
  });
  await bus.enqueue(shardQueue(0), name, toBinary(IndexJobSchema, job));
  const stopMs = await stopped;
  const pending = await bus.pending(shardQueue(0));
  const files = engines.repos().find((record) => record.name === 'big')?.files ?? 0;
  await bus.close();
  await engines.close();
  return { stopMs, pending, files, states: events.map((event) => event.state) };
}

// why: not lost — a job is acknowledged only once its lexical snapshot committed (EMBEDDING or DONE said so);
// one stopped before that stays in the queue for the next replica.
const committedOrQueued = ({ pending, states }: { pending: number; states: IndexState[] }) =>
  pending === (states.includes(IndexState.EMBEDDING) || states.includes(IndexState.DONE) ? 0 : 1);

it('stops within 2 s while a job reads and chunks files, and does not lose the job', async () => {
  const run = await stopDuring('lexical', IndexState.INDEXING, null);
  expect(run.stopMs).toBeLessThan(2_000);
  expect(committedOrQueued(run)).toBe(true);
  expect(run.states).not.toContain(IndexState.FAILED);
});

it('stops within 2 s while vectors are computed, keeping the lexical snapshot, and does not lose the job', async () => {
  const run = await stopDuring('dense', IndexState.EMBEDDING, slowEmbedder);
  expect(run.stopMs).toBeLessThan(2_000);
  expect(run.pending).toBe(0);
  expect(run.files).toBe(1_000);
  expect(run.states).not.toContain(IndexState.FAILED);
});
