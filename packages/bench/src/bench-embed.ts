import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createChunker } from '@conexus/chunking';
import { createOnnxEmbedder, DEFAULT_MODEL, modelsDir, tokenizeTexts, type Embedder } from '@conexus/embedding';
import { createEngine } from '@conexus/engine';
import { benchArgs } from './bench-args.js';
import { measureMatmul } from './matmul-probe.js';
import { createPipelineEmbedder } from './pipeline-embedder.js';

const args = benchArgs({ repo: '', model: join(modelsDir(process.env), DEFAULT_MODEL), sample: '256', rounds: '2' });
if (!args.repo) {
  process.stderr.write(
    'usage: node packages/bench/dist/bench-embed.js --repo DIR [--model DIR] [--sample N] [--rounds N]\n',
  );
  process.exit(2);
}
const cores = availableParallelism();
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const rate = (count: number, ms: number): string => (count / (ms / 1000)).toFixed(1);

// 1. The texts the engine embeds, captured on their way to the model during a real index run (inline: the
// recorder's id is no ONNX id, so the engine does not hand it to an embedding thread).
const production = await createOnnxEmbedder({ model: args.model, pooling: 'cls' });
const texts: string[] = [];
let productionMs = 0;
const recorder: Embedder = {
  id: `recorded:${production.id}`,
  async embedDocuments(batch) {
    texts.push(...batch);
    const started = performance.now();
    const vectors = await production.embedDocuments(batch);
    productionMs += performance.now() - started;
    return vectors;
  },
  embedQuery: (text) => production.embedQuery(text),
  close: () => production.close(),
};
const dataDir = mkdtempSync(join(tmpdir(), 'conexus-bench-embed-'));
const engine = createEngine({ dataDir, chunker: await createChunker(), embedder: recorder, chunkWorkers: cores });
const summary = await engine.index(resolve(args.repo), 'bench');
await summary.dense;
await engine.close();
rmSync(dataDir, { recursive: true, force: true });
say(
  `${basename(resolve(args.repo))}: ${summary.chunks} chunks, ${texts.length} embedded (unique texts); ${cores} cores`,
);
say(`engine dense phase, default embedder (${cores} threads): ${rate(texts.length, productionMs)} chunks/s`);

// 2. Tokens per chunk, and the work they mean: 2 x encoder weights per token, plus attention (QK^T and AV).
const transformers = await import('@huggingface/transformers');
transformers.env.localModelPath = dirname(resolve(args.model));
transformers.env.allowRemoteModels = false;
const tokenizer = await transformers.AutoTokenizer.from_pretrained(basename(resolve(args.model)));
const LAYERS = 12;
const HIDDEN = 384;
const ENCODER_WEIGHTS = LAYERS * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * 4 * HIDDEN);
const flops = (tokens: number): number => 2 * ENCODER_WEIGHTS * tokens + LAYERS * 4 * HIDDEN * tokens * tokens;
const quantile = (sorted: number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!;
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / (values.length || 1);
for (const limit of [512, 256]) {
  const counts = tokenizeTexts(tokenizer, texts, limit)
    .map((ids) => ids.length)
    .sort((a, b) => a - b);
  say(
    `tokens/chunk at ${limit}: mean ${mean(counts).toFixed(0)}, p50 ${quantile(counts, 0.5)}, p95 ${quantile(counts, 0.95)}; ` +
      `${(mean(counts.map(flops)) / 1e9).toFixed(2)} GFLOP/chunk (encoder weights ${(ENCODER_WEIGHTS / 1e6).toFixed(1)} M)`,
  );
}

// 3. What the machine can do: the runtime's own int8 and fp32 matrix products at the FFN's shape.
const probes = [];
for (const threads of [1, cores])
  for (const kind of ['int8', 'fp32'] as const) probes.push(await measureMatmul(kind, threads));
for (const probe of probes) say(`matmul ${probe.kind}, ${probe.threads} thread(s): ${probe.gflops.toFixed(0)} GFLOP/s`);
const int8Peak = Math.max(...probes.filter((probe) => probe.kind === 'int8').map((probe) => probe.gflops));

// 4. Variants on one sample, interleaved (A B C, then C B A, ...) so load on a shared machine hits all alike.
const step = Math.max(1, Math.floor(texts.length / Number(args.sample)));
const sample = texts.filter((_, index) => index % step === 0).slice(0, Number(args.sample));
const variants: { name: string; tokens: number; embedder: Embedder }[] = [
  {
    name: 'reference: pipeline, 16 by characters, 2000 chars',
    tokens: 512,
    embedder: await createPipelineEmbedder(args.model),
  },
  {
    name: `token batches, 512 tokens, ${cores} threads`,
    tokens: 512,
    embedder: await createOnnxEmbedder({ model: args.model, pooling: 'cls', maxTokens: 512 }),
  },
  {
    name: `token batches, 256 tokens, ${cores} threads (default)`,
    tokens: 256,
    embedder: await createOnnxEmbedder({ model: args.model, pooling: 'cls' }),
  },
  {
    name: 'token batches, 256 tokens, 1 thread',
    tokens: 256,
    embedder: await createOnnxEmbedder({ model: args.model, pooling: 'cls', threads: 1 }),
  },
  {
    name: 'token batches, 256 tokens, batches of 32 (4096 padded tokens)',
    tokens: 256,
    embedder: await createOnnxEmbedder({ model: args.model, pooling: 'cls', batchSize: 32, maxBatchTokens: 4096 }),
  },
];
const times = variants.map(() => [] as number[]);
const vectors: Float32Array[][] = [];
for (let round = 0; round < Number(args.rounds); round += 1) {
  const order = variants.map((_, index) => index);
  if (round % 2 === 1) order.reverse();
  for (const index of order) {
    const started = performance.now();
    vectors[index] = await variants[index]!.embedder.embedDocuments(sample);
    times[index]!.push(performance.now() - started);
  }
}
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const referenceRate = sample.length / (mean(times[0]!) / 1000);
say(`\nsample: ${sample.length} chunks, ${args.rounds} interleaved rounds`);
variants.forEach((variant, index) => {
  const perSecond = sample.length / (mean(times[index]!) / 1000);
  const work = mean(tokenizeTexts(tokenizer, sample, variant.tokens).map((ids) => flops(ids.length)));
  const cosines = sample.map((_, i) => dot(vectors[index]![i]!, vectors[1]![i]!)).sort((a, b) => a - b);
  say(
    `${variant.name}: ${perSecond.toFixed(1)} chunks/s (${times[index]!.map((ms) => rate(sample.length, ms)).join(', ')}), ` +
      `x${(perSecond / referenceRate).toFixed(2)} vs reference; ${((perSecond * work) / 1e9).toFixed(0)} GFLOP/s = ` +
      `${((100 * perSecond * work) / 1e9 / int8Peak).toFixed(0)} % of the int8 matmul peak; ` +
      `cosine to 512 tokens mean ${mean(cosines).toFixed(4)}, p5 ${quantile(cosines, 0.05).toFixed(4)}`,
  );
});
for (const variant of variants) await variant.embedder.close();
