import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectNatsBus } from '@conexus/bus';
import { createChunker } from '@conexus/chunking';
import { createShardedEngine, shardDirectory } from '@conexus/engine';
import { restoreShardSnapshot, saveShardSnapshot } from '@conexus/indexer';
import { startNatsServer } from '@conexus/testkit';
import { benchArgs } from './bench-args.js';

// `npm run bench:takeover -- --repo DIR`: how long a new owner takes to serve a shard holding DIR, by
// re-indexing it (what a pod with an empty volume did before snapshots) against restoring the shard's
// snapshot from a JetStream object store on a real nats-server. Lexical index (no embedder) on both sides.
const args = benchArgs({ repo: '', restores: '3' });
if (!args.repo) {
  process.stderr.write('usage: npm run bench:takeover -- --repo DIR [--restores N]\n');
  process.exit(2);
}
const repo = resolve(args.repo);
const scratch = mkdtempSync(join(tmpdir(), 'conexus-bench-takeover-'));
const nats = await startNatsServer({ storeDir: join(scratch, 'nats') });
const bus = await connectNatsBus({ servers: nats.url, name: 'bench-takeover' });
const chunker = await createChunker();
const seconds = (from: number): number => (performance.now() - from) / 1000;
const report = (label: string, value: string): void => void process.stdout.write(`${label.padEnd(44)} ${value}\n`);

try {
  const blobs = await bus.blobStore('conexus-bench-takeover');
  const owner = join(scratch, 'owner');
  const engine = createShardedEngine({ dataDir: owner, shardCount: 1, chunker, chunkWorkers: availableParallelism() });
  let started = performance.now();
  const indexed = await engine.index(repo, 'bench');
  await indexed.dense;
  const indexSeconds = seconds(started);
  const storeBytes = directoryBytes(shardDirectory(owner, 0));
  report(
    're-index (new owner, empty volume)',
    `${indexSeconds.toFixed(1)} s (${indexed.filesIndexed} files, ${(indexed.bytesIndexed / 1e6).toFixed(1)} MB of source)`,
  );
  report('shard store on disk', `${(storeBytes / 1e6).toFixed(1)} MB`);

  started = performance.now();
  const snapshot = await saveShardSnapshot(blobs, owner, 0);
  const snapshotBytes = snapshot.files.reduce((sum, file) => sum + file.size, 0);
  report(
    'snapshot save (online copy + upload)',
    `${seconds(started).toFixed(2)} s (${(snapshotBytes / 1e6).toFixed(1)} MB)`,
  );
  await engine.close();

  const restores: number[] = [];
  for (let run = 1; run <= Number(args.restores); run += 1) {
    const successor = join(scratch, `successor-${run}`);
    started = performance.now();
    await restoreShardSnapshot(blobs, successor, 0);
    const replica = createShardedEngine({ dataDir: successor, shardCount: 1, chunker });
    const first = await replica.search({ query: 'solve equation', unit: 'file' });
    restores.push(seconds(started));
    if (first.results.length === 0) throw new Error('the restored shard answered nothing');
    await replica.close();
    rmSync(successor, { recursive: true, force: true });
  }
  const median = restores.sort((a, b) => a - b)[Math.floor(restores.length / 2)]!;
  report(
    'restore + open + first search',
    `${restores.map((value) => value.toFixed(2)).join(' / ')} s, median ${median.toFixed(2)} s`,
  );
  report('takeover: re-index / restore', `${(indexSeconds / median).toFixed(1)}× faster by restore`);
} finally {
  await bus.close();
  await nats.stop();
  rmSync(scratch, { recursive: true, force: true });
}

function directoryBytes(directory: string): number {
  return readdirSync(directory).reduce((sum, name) => {
    const path = join(directory, name);
    const stats = statSync(path);
    return sum + (stats.isDirectory() ? directoryBytes(path) : stats.size);
  }, 0);
}
