import type { IndexProgress } from './index-progress.js';

/** Seconds left at the phase's rate; null while the total or the rate is not known yet. */
export function secondsLeft(progress: Pick<IndexProgress, 'done' | 'total' | 'perSecond'>): number | null {
  if (progress.total <= 0 || progress.perSecond <= 0) return null;
  return Math.max(0, progress.total - progress.done) / progress.perSecond;
}
