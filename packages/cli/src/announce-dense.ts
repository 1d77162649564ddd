import type { DenseSummary, IndexProgress } from '@conexus/engine';
import { formatDenseStart, formatSeconds } from './format-progress.js';

/** What `announceDense` needs: the dense phase, its latest progress, the model, and where to write. */
export interface DenseAnnouncement {
  readonly dense: Promise<DenseSummary>;
  /** Settles at the first embedding progress report. */
  readonly started: Promise<unknown>;
  readonly latest: () => IndexProgress | null;
  readonly model: string | null;
  readonly write: (text: string) => void;
}

// why: the engine reports how many chunks it will embed as the phase starts; this long is enough to hear it.
const START_WAIT_MS = 250;

/**
 * Says what a repository's background embedding will do before a prompt starts (nothing re-embeds silently), and
 * again when its vectors are in. Resolves once it has said the first; the returned promise is the phase's end.
 */
export async function announceDense(announcement: DenseAnnouncement): Promise<{ finished: Promise<void> }> {
  const { dense, write } = announcement;
  let settled: DenseSummary | null = null;
  const observed = dense.then((result) => void (settled = result));
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)));
  await Promise.race([observed, announcement.started, waited]).finally(() => clearTimeout(timer));
  if (settled) return { finished: Promise.resolve() };
  const start = performance.now();
  write(`conexus: ${formatDenseStart(announcement.latest(), announcement.model)}; answers are lexical until then\n`);
  const finished = dense.then(
    (result) => {
      const took = formatSeconds((performance.now() - start) / 1000);
      if (result.complete) write(`\nconexus: embedded ${result.embedded} chunks in ${took}; answers now use them\n`);
      else write(`conexus: embedding stopped after ${result.embedded} chunks; the next index run embeds the rest\n`);
    },
    (error: unknown) => write(`\nconexus: embedding failed (${(error as Error).message}); answers stay lexical\n`),
  );
  return { finished };
}
