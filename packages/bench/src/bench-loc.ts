import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createChunker } from '@conexus/chunking';
import { openEmbedder } from '@conexus/embedding';
import { createEngine } from '@conexus/engine';
import { DEFAULT_WEIGHTS, type RankingWeights } from '@conexus/retrieval';
import { benchArgs } from './bench-args.js';
import { checkoutAt, commitTime } from './git-checkout.js';
import { contextOutcome, summarizeContext, type ContextOutcome } from './context-metrics.js';
import { localizationMetrics, type RowOutcome } from './localization-metrics.js';

interface BenchRow {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  gold_files: string[];
  gold_spans?: Record<string, string[]>;
}

const args = benchArgs({
  sets: '../shared/bench/swebench-verified-dev.jsonl,../shared/bench/commits-caddy.jsonl',
  repos: '',
  work: '',
  embedder: 'none',
  limit: '0',
  only: '',
  out: '',
  details: '',
  variants: '',
  context: '',
});
if (!args.repos) {
  process.stderr.write(
    'usage: npm run bench:loc -- --repos DIR [--sets a.jsonl,b.jsonl] [--embedder none|MODEL] [--only owner/name] [--limit N]\n' +
      '  DIR holds one git directory (bare or not) per repository, named OWNER+NAME\n',
  );
  process.exit(2);
}
const work = args.work || mkdtempSync(join(tmpdir(), 'conexus-bench-'));
const chunker = await createChunker();
const embedder = await openEmbedder(args.embedder, process.env);
const engine = createEngine({ dataDir: join(work, 'data'), chunker, embedder, chunkWorkers: availableParallelism() });
// why: ranking variants share one index, so a sweep costs one indexing pass (`--variants FILE`, JSON name → weights).
const variants = args.variants
  ? (JSON.parse(readFileSync(args.variants, 'utf8')) as Record<string, Partial<RankingWeights>>)
  : {};
const variantEngines = Object.entries(variants).map(([name, overrides]) => ({
  name,
  engine: createEngine({
    dataDir: join(work, 'data'),
    chunker,
    embedder,
    weights: { ...DEFAULT_WEIGHTS, ...overrides },
  }),
  outcomes: [] as RowOutcome[],
}));
// why: `--context 2000,8000` also measures what an agent would read: tokens before the first gold file, and
// file recall within each budget, for chunks as they come and for context assembled by the query service.
const budgets = args.context ? args.context.split(',').map(Number) : [];
const report: Record<string, unknown> = {};
const details: unknown[] = [];

for (const setPath of args.sets.split(',')) {
  const rows = readFileSync(resolve(setPath), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BenchRow)
    .filter((row) => !args.only || row.repo === args.only);
  const limited = Number(args.limit) > 0 ? rows.slice(0, Number(args.limit)) : rows;
  const outcomes: RowOutcome[] = [];
  const contextOutcomes: ContextOutcome[] = [];
  let indexSeconds = 0;
  let queryMs = 0;
  const byRepo = new Map<string, BenchRow[]>();
  for (const row of limited) byRepo.set(row.repo, [...(byRepo.get(row.repo) ?? []), row]);
  for (const [repo, repoRows] of byRepo) {
    const gitDir = join(args.repos, repo.replace('/', '+'));
    const dir = join(work, 'checkouts', repo.replace('/', '+'));
    const ordered = repoRows
      .map((row) => ({ row, time: commitTime(gitDir, row.base_commit) }))
      .sort((a, b) => a.time - b.time);
    for (const { row } of ordered) {
      checkoutAt(gitDir, dir, row.base_commit);
      const summary = await engine.index(dir, repo);
      // why: the dense phase runs on after the lexical commit; the set is measured with every vector in.
      const dense = await summary.dense;
      indexSeconds += summary.seconds + (dense?.seconds ?? 0);
      const files = await engine.search({ query: row.problem_statement, repos: [repo], unit: 'file', top: 10 });
      const symbols = await engine.search({ query: row.problem_statement, repos: [repo], unit: 'symbol', top: 10 });
      queryMs += files.tookMs + symbols.tookMs;
      const goldSymbols = row.gold_spans
        ? Object.entries(row.gold_spans).flatMap(([path, spans]) => spans.map((span) => `${path}:${span}`))
        : null;
      outcomes.push({
        goldFiles: row.gold_files,
        rankedFiles: files.results.map((result) => result.path),
        goldSymbols,
        rankedSymbols: symbols.results.map((result) => `${result.path}:${result.symbol}`),
      });
      details.push({
        id: row.instance_id,
        gold: row.gold_files,
        files: files.results.map((r) => r.path),
        goldSymbols,
        symbols: symbols.results.map((r) => `${r.path}:${r.symbol}`),
      });
      if (budgets.length > 0) {
        const chunks = await engine.search({ query: row.problem_statement, repos: [repo], unit: 'chunk', top: 100 });
        const pieces = chunks.results.map((result) => {
          const expansion = result.symbol
            ? engine.symbolSpan(repo, result.path, result.symbol, result.startLine)
            : null;
          return { ...result, text: result.text ?? '', ...(expansion ? { expansion } : {}) };
        });
        contextOutcomes.push(contextOutcome(pieces, row.gold_files, budgets));
      }
      for (const variant of variantEngines) {
        const ranked = await variant.engine.search({
          query: row.problem_statement,
          repos: [repo],
          unit: 'file',
          top: 10,
        });
        variant.outcomes.push({
          goldFiles: row.gold_files,
          rankedFiles: ranked.results.map((r) => r.path),
          goldSymbols: null,
          rankedSymbols: [],
        });
      }
      const hit = row.gold_files.every((file) => files.results.slice(0, 5).some((result) => result.path === file));
      process.stderr.write(
        `${hit ? '+' : '-'} ${row.instance_id} index ${summary.seconds.toFixed(1)}s (${summary.filesIndexed} files)\n`,
      );
    }
  }
  for (const variant of variantEngines) {
    const variantMetrics = localizationMetrics(variant.outcomes.splice(0));
    process.stdout.write(
      `  variant ${variant.name}: Acc@1 ${variantMetrics.acc[1]}  Acc@3 ${variantMetrics.acc[3]}  ` +
        `Acc@5 ${variantMetrics.acc[5]}  Acc@10 ${variantMetrics.acc[10]}  MRR ${variantMetrics.mrr}\n`,
    );
  }
  const metrics = localizationMetrics(outcomes);
  const name = setPath.split('/').pop()!.replace('.jsonl', '');
  if (budgets.length > 0) {
    const context = summarizeContext(contextOutcomes, budgets);
    report[`${name}:context`] = context;
    const before = context.tokensBeforeGold;
    process.stdout.write(
      `  context: tokens before the first gold file within the largest budget, median / mean (rows found): raw ${before.raw.median} / ${before.raw.mean} (${before.raw.found}), ` +
        `assembled ${before.assembled.median} / ${before.assembled.mean} (${before.assembled.found}); file recall ${budgets.map((budget) => `@${budget} raw ${context.recall[budget]!.raw} assembled ${context.recall[budget]!.assembled}`).join(', ')}\n`,
    );
  }
  report[name] = {
    ...metrics,
    indexSeconds: Math.round(indexSeconds * 10) / 10,
    meanQueryMs: Math.round(queryMs / 2 / (outcomes.length || 1)),
  };
  process.stdout.write(
    `${name} (${metrics.rows} rows, embedder ${embedder?.id ?? 'none'}): ` +
      `Acc@1 ${metrics.acc[1]}  Acc@3 ${metrics.acc[3]}  Acc@5 ${metrics.acc[5]}  Acc@10 ${metrics.acc[10]}  ` +
      `R@5 ${metrics.recall[5]}  R@10 ${metrics.recall[10]}  MRR ${metrics.mrr}  ` +
      `symbol Acc@10 ${metrics.symbolAcc10} (${metrics.symbolRows} rows)  index ${indexSeconds.toFixed(1)} s  query ${Math.round(queryMs / 2 / (outcomes.length || 1))} ms\n`,
  );
}
for (const variant of variantEngines) await variant.engine.close();
if (args.out) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
if (args.details) writeFileSync(args.details, details.map((row) => JSON.stringify(row)).join('\n') + '\n');
await engine.close();
