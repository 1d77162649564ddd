import type { IndexPhase, IndexProgress } from './index-progress.js';

const PROGRESS_EVERY_MS = 500;

/** Reports one phase's progress at most every 500 ms (always when `final`), with its rate since the phase began. */
export function createProgressMeter(
  repo: string,
  phase: IndexPhase,
  onProgress: ((progress: IndexProgress) => void) | undefined,
): (done: number, total: number, final: boolean) => void {
  const started = performance.now();
  let reported = -Infinity;
  return (done, total, final) => {
    const now = performance.now();
    if (!onProgress || (!final && now - reported < PROGRESS_EVERY_MS)) return;
    reported = now;
    const seconds = (now - started) / 1000;
    // why: a rate over the first moments (one file, one batch) is noise that shows as a wild ETA; it is unknown
    // until a second has passed, or the phase has ended having done something.
    const perSecond = seconds >= 1 || (final && done > 0 && seconds > 0) ? done / seconds : 0;
    onProgress({ repo, phase, done, total, perSecond });
  };
}
