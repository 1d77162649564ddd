import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChunker } from '@conexus/chunking';
import { openEmbedder } from '@conexus/embedding';
import { createShardedEngine, existingShards, shardDirectory } from '@conexus/engine';
import { benchArgs } from './bench-args.js';
import { summarizeLatency } from './measure-latency.js';

const args = benchArgs({
  repo: '',
  queries: '../shared/bench/swebench-verified-dev.jsonl',
  embedder: 'none',
  touch: '',
});
if (!args.repo) {
  process.stderr.write(
    'usage: npm run bench:index -- --repo DIR [--queries FILE] [--embedder none|MODEL] [--touch PATH]\n',
  );
  process.exit(2);
}
const repo = resolve(args.repo);
const dataDir = mkdtempSync(join(tmpdir(), 'conexus-bench-index-'));
// why: the same sharded layout as the CLI, so the end-to-end re-index below finds this index.
const engine = createShardedEngine({
  dataDir,
  chunker: await createChunker(),
  embedder: await openEmbedder(args.embedder, process.env),
  chunkWorkers: availableParallelism(),
});

const cold = await engine.index(repo, 'bench');
// why: index resolves at the lexical commit; the dense phase (null without an embedder) runs on in the background.
const dense = await cold.dense;
const mb = cold.bytesIndexed / 1e6;
const lexicalSeconds = cold.seconds;
report(
  'cold index',
  `${cold.filesIndexed} files, ${mb.toFixed(1)} MB, ${cold.chunks} chunks in ${lexicalSeconds.toFixed(2)} s: ` +
    `${(cold.filesIndexed / lexicalSeconds).toFixed(0)} files/s, ${(mb / lexicalSeconds).toFixed(2)} MB/s, ${(cold.chunks / lexicalSeconds).toFixed(0)} chunks/s`,
);
if (dense && dense.embedded > 0)
  report(
    'embedding',
    `${dense.embedded} chunks in ${dense.seconds.toFixed(1)} s: ${(dense.embedded / dense.seconds).toFixed(1)} chunks/s`,
  );

const touched = join(repo, args.touch || pickSourceFile(repo));
const original = readFileSync(touched);
try {
  appendFileSync(touched, '\n# conexus bench edit\n');
  const incremental = await engine.index(repo, 'bench');
  await incremental.dense;
  report(
    're-index after a one-file change (in-process)',
    `${(incremental.seconds * 1000).toFixed(0)} ms (${incremental.filesIndexed} file indexed)`,
  );
  writeFileSync(touched, original);
  const bin = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
  appendFileSync(touched, '\n# conexus bench edit 2\n');
  const started = performance.now();
  execFileSync(
    process.execPath,
    [bin, 'index', repo, '--repo', 'bench', '--data-dir', dataDir, '--embedder', args.embedder],
    { stdio: 'ignore' },
  );
  report('re-index after a one-file change (CLI, end to end)', `${(performance.now() - started).toFixed(0)} ms`);
} finally {
  writeFileSync(touched, original);
}

const indexBytes = existingShards(dataDir)
  .map((shard) => shardDirectory(dataDir, shard))
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.startsWith('index.db'))
      .map((name) => join(dir, name)),
  )
  .reduce((sum, path) => sum + statSync(path).size, 0);
report(
  'lexical index on disk',
  `${(indexBytes / 1e6).toFixed(1)} MB = ${(indexBytes / cold.bytesIndexed).toFixed(2)}x the ${mb.toFixed(1)} MB of indexed source`,
);
report('peak RSS while indexing', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

const queries = loadQueries(args.queries);
for (const query of queries.slice(0, 5)) await engine.search({ query, unit: 'file' });
const latencies: number[] = [];
for (const query of queries) {
  const started = performance.now();
  await engine.search({ query, unit: 'file', top: 10 });
  latencies.push(performance.now() - started);
}
const latency = summarizeLatency(latencies);
report(
  'search latency (in-process, unit file)',
  `${latency.calls} queries: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms`,
);
await engine.close();
rmSync(dataDir, { recursive: true, force: true });

function report(what: string, numbers: string): void {
  process.stdout.write(`${what}: ${numbers}\n`);
}

function pickSourceFile(root: string): string {
  const files = execFileSync('git', ['-C', root, 'ls-files', '*.py', '*.go', '*.ts', '*.js'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  return files[Math.floor(files.length / 2)] ?? files[0]!;
}

function loadQueries(path: string): string[] {
  return readFileSync(resolve(path), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) =>
      line.startsWith('{')
        ? String((JSON.parse(line) as { problem_statement?: string }).problem_statement ?? '')
        : line,
    )
    .filter(Boolean);
}
