/** Latency percentiles of one measured operation, in milliseconds. */
export interface LatencySummary {
  readonly calls: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Summarizes latency samples (ms) with the same nearest-rank percentiles as the other benchmarks. */
export function summarizeLatency(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { calls: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** Runs `call` one at a time (closed loop), `warmup` times unmeasured and then `calls` times measured. */
export async function measureLatency(
  calls: number,
  warmup: number,
  call: (index: number) => Promise<unknown>,
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call(warmup + i);
    samples.push(performance.now() - started);
  }
  return summarizeLatency(samples);
}

/**
 * Like `measureLatency` for several ways of doing the same call: each round calls every one once, starting at a
 * different one each round, so a noisy neighbour slows all of them alike.
 */
export async function measureInterleaved(
  calls: number,
  warmup: number,
  ways: readonly ((index: number) => Promise<unknown>)[],
): Promise<LatencySummary[]> {
  const samples = ways.map((): number[] => []);
  for (let i = 0; i < warmup + calls; i++) {
    for (let turn = 0; turn < ways.length; turn++) {
      const way = (i + turn) % ways.length;
      const started = performance.now();
      await ways[way]!(i);
      if (i >= warmup) samples[way]!.push(performance.now() - started);
    }
  }
  return samples.map(summarizeLatency);
}

/** `p50 0.031 ms, p90 …, p99 …, max …` with a precision that suits the magnitude. */
export function formatLatency(summary: LatencySummary): string {
  const ms = (value: number): string => value.toFixed(value < 1 ? 3 : value < 10 ? 2 : 1);
  return `p50 ${ms(summary.p50)} ms, p90 ${ms(summary.p90)} ms, p99 ${ms(summary.p99)} ms, max ${ms(summary.max)} ms`;
}
