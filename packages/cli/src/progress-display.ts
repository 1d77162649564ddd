import { secondsLeft, type IndexProgress } from '@conexus/engine';
import { formatProgress } from './format-progress.js';

/** How progress is shown: one line redrawn on a terminal, JSON lines for scripts, or not at all. */
export type ProgressMode = 'line' | 'json' | 'none';

/** Where a command's index progress goes while it runs. */
export interface ProgressDisplay {
  readonly show: (progress: IndexProgress) => void;
  /** The repository's chunk count, known once its lexical snapshot committed; shown beside the embedding count. */
  readonly committed: (chunks: number) => void;
  /** Removes the progress line, so what follows starts on a clean line. */
  readonly clear: () => void;
}

/** How a display writes, how wide the terminal is, and how often it may update. */
export interface ProgressDisplayOptions {
  readonly mode: ProgressMode;
  readonly write: (text: string) => void;
  readonly columns?: number;
  /** The least time between two updates of a phase; default 100 ms for a line, 500 ms for JSON. */
  readonly everyMs?: number;
  readonly now?: () => number;
}

/** A progress display; it writes through `write` only, so it is tested without a terminal. */
export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const { mode, write } = options;
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? (mode === 'json' ? 500 : 100);
  let lastPhase: string | null = null;
  let lastAt = -Infinity;
  let drawn = false;
  let chunks: number | null = null;
  const due = (progress: IndexProgress): boolean => {
    const at = now();
    // why: a new phase and a finished one are always shown; in between only the pace is limited.
    const finished = progress.total > 0 && progress.done >= progress.total;
    if (progress.phase === lastPhase && !finished && at - lastAt < everyMs) return false;
    lastPhase = progress.phase;
    lastAt = at;
    return true;
  };
  return {
    show(progress) {
      if (mode === 'none' || !due(progress)) return;
      if (mode === 'json') {
        const { repo, phase, done, total, perSecond } = progress;
        const etaSeconds = secondsLeft(progress);
        write(`${JSON.stringify({ event: 'progress', repo, phase, done, total, perSecond, etaSeconds })}\n`);
        return;
      }
      // why: a line longer than the terminal wraps, and `\r` then redraws only its last row.
      const width = Math.max(20, (options.columns ?? 80) - 1);
      write(`\r${formatProgress(progress, chunks).slice(0, width)}\x1b[K`);
      drawn = true;
    },
    committed(count) {
      chunks = count;
    },
    clear() {
      if (drawn) write('\r\x1b[K');
      drawn = false;
    },
  };
}
