import { summarizeLatency } from './measure-latency.js';

/** What one load level measured. */
export interface LoadResult {
  readonly offeredRps: number;
  readonly achievedRps: number;
  readonly requests: number;
  readonly errors: number;
  readonly partial: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Open-model load: requests arrive as a Poisson process at `clients × ratePerClient` per second whether or
 * not earlier ones have answered, and latency counts from the scheduled arrival (no coordinated omission).
 */
export async function runOpenLoad(
  send: (index: number) => Promise<{ partial: boolean }>,
  clients: number,
  ratePerClient: number,
  seconds: number,
): Promise<LoadResult> {
  const rate = clients * ratePerClient;
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let errors = 0;
  let partial = 0;
  const started = performance.now();
  let next = started;
  for (let index = 0; next - started < seconds * 1000; index++) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const scheduled = next;
    inFlight.push(
      send(index).then(
        (response) => {
          latencies.push(performance.now() - scheduled);
          if (response.partial) partial += 1;
        },
        () => void (errors += 1),
      ),
    );
    next += (-Math.log(1 - Math.random()) * 1000) / rate;
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  const { p50, p99 } = summarizeLatency(latencies);
  return {
    offeredRps: rate,
    achievedRps: latencies.length / elapsed,
    requests: inFlight.length,
    errors,
    partial,
    p50Ms: p50,
    p99Ms: p99,
  };
}
