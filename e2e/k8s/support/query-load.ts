import { ConnectError } from '@connectrpc/connect';
import type { GatewayClient } from '@conexus/client';

/** What a query load saw: every query sent, the ones that failed (with a few reasons), partial answers, and leaks. */
export interface LoadReport {
  readonly sent: number;
  readonly failed: number;
  readonly partial: number;
  /** Answers holding a result from a repository outside `readable`. */
  readonly leaked: number;
  readonly failures: readonly string[];
}

/** A running query load; `stop` waits for the queries in flight and reports. */
export interface QueryLoad {
  stop(): Promise<LoadReport>;
}

/**
 * Sends `query` through `client` from `workers` concurrent loops, each a query after the last, until stopped.
 * With `readable`, an answer that holds a result from any other repository counts as a leak.
 */
export function startQueryLoad(
  client: GatewayClient,
  query: string,
  workers: number,
  readable?: readonly string[],
): QueryLoad {
  let running = true;
  const counts = { sent: 0, failed: 0, partial: 0, leaked: 0 };
  const failures: string[] = [];
  const loop = async (): Promise<void> => {
    while (running) {
      counts.sent += 1;
      try {
        const answer = await client.context.search({ query, topK: 5 }, { timeoutMs: 15_000 });
        if (answer.partial) counts.partial += 1;
        if (readable && answer.results.some((result) => !readable.includes(result.repo))) counts.leaked += 1;
        if (answer.results.length === 0) throw new Error('no results');
      } catch (error) {
        counts.failed += 1;
        if (failures.length < 10) failures.push(`${new Date().toISOString()} ${ConnectError.from(error).message}`);
      }
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { ...counts, failures };
    },
  };
}
