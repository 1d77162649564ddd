/** Where a watched folder's re-indexing stands: nothing to do, changes settling, or a run in flight. */
export interface ReindexSchedule {
  readonly phase: 'idle' | 'settling' | 'running';
  /** The first and the last change not yet covered by a run (while settling, or while running with `dirty`). */
  readonly firstChangeAt: number;
  readonly lastChangeAt: number;
  /** While running: a change came after the run started, so exactly one more run follows it. */
  readonly dirty: boolean;
}

/** What happened: a change in the folder, the timer asked for, or the run in flight ended. */
export type ReindexInput =
  | { readonly kind: 'change'; readonly at: number }
  | { readonly kind: 'timer'; readonly at: number }
  | { readonly kind: 'finished'; readonly at: number };

/** How long changes settle: `debounceMs` after the last one, but never more than `maxWaitMs` after the first. */
export interface ReindexTiming {
  readonly debounceMs: number;
  readonly maxWaitMs: number;
}

/** The next state, whether to start a run now, and when to be woken (null: no timer needed). */
export interface ReindexStep {
  readonly state: ReindexSchedule;
  readonly start: boolean;
  readonly wakeAt: number | null;
}

/** Nothing changed, nothing running. */
export const IDLE_SCHEDULE: ReindexSchedule = { phase: 'idle', firstChangeAt: 0, lastChangeAt: 0, dirty: false };

/**
 * One step of the debounce: changes settle into one batch (a save, or a branch switch touching hundreds of files),
 * the batch starts one run, and changes during a run make one follow-up run at most; two never overlap.
 */
export function stepReindexSchedule(state: ReindexSchedule, input: ReindexInput, timing: ReindexTiming): ReindexStep {
  const dueAt = (first: number, last: number): number => Math.min(last + timing.debounceMs, first + timing.maxWaitMs);
  switch (input.kind) {
    case 'change': {
      const first = state.phase === 'settling' || state.dirty ? state.firstChangeAt : input.at;
      if (state.phase === 'running') {
        return {
          state: { ...state, dirty: true, firstChangeAt: first, lastChangeAt: input.at },
          start: false,
          wakeAt: null,
        };
      }
      const next = { phase: 'settling', firstChangeAt: first, lastChangeAt: input.at, dirty: false } as const;
      return { state: next, start: false, wakeAt: dueAt(first, input.at) };
    }
    case 'timer': {
      // why: a timer set for an earlier deadline may fire after the batch grew; it only wakes the check.
      if (state.phase !== 'settling') return { state, start: false, wakeAt: null };
      const due = dueAt(state.firstChangeAt, state.lastChangeAt);
      if (input.at < due) return { state, start: false, wakeAt: due };
      return { state: { ...IDLE_SCHEDULE, phase: 'running' }, start: true, wakeAt: null };
    }
    case 'finished': {
      if (state.phase !== 'running') return { state, start: false, wakeAt: null };
      if (!state.dirty) return { state: IDLE_SCHEDULE, start: false, wakeAt: null };
      const next = { ...state, phase: 'settling', dirty: false } as const;
      return { state: next, start: false, wakeAt: dueAt(state.firstChangeAt, state.lastChangeAt) };
    }
  }
}
