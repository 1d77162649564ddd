/** Decides whether a progress report is published: the first of a phase always, then one per `everyMs` at most. */
export type ProgressThrottle = (phase: string, atMs: number) => boolean;

/** A throttle for one job's progress reports; the clock is the caller's, so the rule stays pure. */
export function createProgressThrottle(everyMs: number): ProgressThrottle {
  let lastPhase: string | null = null;
  let lastAtMs = -Infinity;
  return (phase, atMs) => {
    // why: a new phase is news (files are done, embedding began); within a phase only the pace is limited.
    if (phase === lastPhase && atMs - lastAtMs < everyMs) return false;
    lastPhase = phase;
    lastAtMs = atMs;
    return true;
  };
}
