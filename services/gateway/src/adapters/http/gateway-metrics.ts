import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The gateway's Prometheus metrics. */
export interface GatewayMetrics {
  readonly registry: Registry;
  observeRequest(method: string, code: string, seconds: number): void;
}

/** Creates the metrics; `queueDepth` and `indexLag` are read when Prometheus scrapes. */
export function createGatewayMetrics(sources: {
  queueDepth: () => Promise<ReadonlyMap<number, number>>;
  indexLag: () => ReadonlyMap<string, number>;
}): GatewayMetrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'conexus_request_duration_seconds',
    help: 'RPC latency at the gateway, by method and code.',
    labelNames: ['method', 'code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'conexus_requests_total',
    help: 'RPCs served, by method and code.',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  new Gauge({
    name: 'conexus_index_queue_depth',
    help: 'Index jobs not yet acknowledged, by shard.',
    labelNames: ['shard'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [shard, depth] of await sources.queueDepth()) this.set({ shard: String(shard) }, depth);
    },
  });
  new Gauge({
    name: 'conexus_index_lag_seconds',
    help: 'Seconds since the oldest unfinished index job of a repository was queued; 0 when it is current.',
    labelNames: ['repo'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [repo, lag] of sources.indexLag()) this.set({ repo }, lag);
    },
  });
  return {
    registry,
    observeRequest(method, code, seconds) {
      duration.observe({ method, code }, seconds);
      requests.inc({ method, code });
    },
  };
}
