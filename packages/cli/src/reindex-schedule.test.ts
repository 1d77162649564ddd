import { describe, expect, it } from '@jest/globals';
import { IDLE_SCHEDULE, stepReindexSchedule, type ReindexInput, type ReindexSchedule } from './reindex-schedule.js';

const TIMING = { debounceMs: 250, maxWaitMs: 1500 };

/** Feeds changes at the given times through the schedule, honouring its timers; each run takes `runMs`. */
function simulate(changes: readonly number[], runMs: number): { starts: number[]; state: ReindexSchedule } {
  let state = IDLE_SCHEDULE;
  const starts: number[] = [];
  const queue: ReindexInput[] = changes.map((at) => ({ kind: 'change', at }));
  const push = (input: ReindexInput): void => {
    queue.push(input);
    // why: at equal times a change is seen before a timer, as an event already queued would be.
    queue.sort((a, b) => a.at - b.at || (a.kind === 'change' ? -1 : 1));
  };
  queue.sort((a, b) => a.at - b.at);
  while (queue.length > 0) {
    const input = queue.shift()!;
    const step = stepReindexSchedule(state, input, TIMING);
    state = step.state;
    if (step.start) {
      starts.push(input.at);
      push({ kind: 'finished', at: input.at + runMs });
    }
    if (step.wakeAt !== null) push({ kind: 'timer', at: Math.max(step.wakeAt, input.at) });
  }
  return { starts, state };
}

describe('stepReindexSchedule', () => {
  it('starts one run a debounce after a single save, and is idle once it ends', () => {
    const { starts, state } = simulate([1000], 100);
    expect(starts).toEqual([1250]);
    expect(state).toEqual(IDLE_SCHEDULE);
  });

  it('makes one batch of a burst (a branch switch touching hundreds of files)', () => {
    const burst = Array.from({ length: 300 }, (_, i) => 1000 + i * 2);
    expect(simulate(burst, 100).starts).toEqual([1000 + 299 * 2 + 250]);
  });

  it('does not wait past maxWait for changes that never settle', () => {
    const endless = Array.from({ length: 40 }, (_, i) => i * 100);
    expect(simulate(endless, 10).starts[0]).toBe(1500);
  });

  it('follows a run with exactly one more when changes came during it, however many', () => {
    const during = [0, ...Array.from({ length: 50 }, (_, i) => 300 + i * 10)];
    const { starts, state } = simulate(during, 1000);
    // the first run starts at 250 and ends at 1250; every later change is covered by one follow-up
    expect(starts).toEqual([250, 1250]);
    expect(state).toEqual(IDLE_SCHEDULE);
  });

  it('never starts a run while one is in flight', () => {
    let state = stepReindexSchedule(IDLE_SCHEDULE, { kind: 'change', at: 0 }, TIMING).state;
    const started = stepReindexSchedule(state, { kind: 'timer', at: 250 }, TIMING);
    expect(started.start).toBe(true);
    state = started.state;
    for (let at = 300; at < 5000; at += 100) {
      const changed = stepReindexSchedule(state, { kind: 'change', at }, TIMING);
      const timer = stepReindexSchedule(changed.state, { kind: 'timer', at: at + 50 }, TIMING);
      expect([changed.start, timer.start]).toEqual([false, false]);
      state = timer.state;
    }
    expect(state).toMatchObject({ phase: 'running', dirty: true, firstChangeAt: 300 });
  });

  it('ignores a timer that fires before the batch has settled, and asks again for the new deadline', () => {
    let state = stepReindexSchedule(IDLE_SCHEDULE, { kind: 'change', at: 0 }, TIMING).state;
    state = stepReindexSchedule(state, { kind: 'change', at: 200 }, TIMING).state;
    expect(stepReindexSchedule(state, { kind: 'timer', at: 250 }, TIMING)).toEqual({
      state,
      start: false,
      wakeAt: 450,
    });
  });

  it('ignores a finish or a timer when idle', () => {
    expect(stepReindexSchedule(IDLE_SCHEDULE, { kind: 'finished', at: 5 }, TIMING).start).toBe(false);
    expect(stepReindexSchedule(IDLE_SCHEDULE, { kind: 'timer', at: 5 }, TIMING)).toEqual({
      state: IDLE_SCHEDULE,
      start: false,
      wakeAt: null,
    });
  });
});
