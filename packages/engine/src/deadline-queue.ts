import { ConexusError } from '@conexus/kernel';

/** Runs one job on one lane (a search thread); a lane runs one job at a time. */
export type Lane<J, R> = (job: J) => Promise<R>;

/** Jobs waiting, first come first served, for the next free lane, each within its caller's deadline. */
export interface DeadlineQueue<J, R> {
  /**
   * Runs `job` on the next free lane. With a deadline (milliseconds since the epoch) it fails `resource_exhausted`
   * at once when the work queued ahead would not let it finish in time, and `deadline_exceeded` as soon as the
   * deadline passes, queued or running; a job still waiting at its deadline never runs.
   */
  run(job: J, deadline?: number): Promise<R>;
  /** Stops giving jobs to a lane (its thread died); once none is left, every job fails `unavailable`. */
  retire(lane: number): void;
}

interface Entry<J, R> {
  readonly job: J;
  readonly deadline: number | undefined;
  readonly resolve: (result: R) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
  settled: boolean;
}

/** How much one new run time moves the estimate of the next. */
const COST_WEIGHT = 0.2;

/** How a queue measures its jobs: the clock, and how long a finished job kept its lane busy. */
export interface DeadlineQueueOptions<R> {
  readonly clock?: () => number;
  /** The lane time a result reports (say, a thread's own compute time); the time from start to result by default. */
  readonly costOf?: (result: R, wallMs: number) => number;
}

/** Spreads jobs over `lanes`, estimating a job's run time from those before it to refuse work that cannot finish in time. */
export function createDeadlineQueue<J, R>(
  lanes: readonly Lane<J, R>[],
  options: DeadlineQueueOptions<R> = {},
): DeadlineQueue<J, R> {
  const clock = options.clock ?? Date.now;
  const costOf = options.costOf ?? ((_result: R, wallMs: number) => wallMs);
  const waiting: Entry<J, R>[] = [];
  const busy = lanes.map(() => false);
  const retired = new Set<number>();
  let costMs: number | null = null;

  const settle = (entry: Entry<J, R>, outcome: () => void): void => {
    if (entry.settled) return;
    entry.settled = true;
    if (entry.timer) clearTimeout(entry.timer);
    outcome();
  };
  const live = (): number[] => lanes.flatMap((_, lane) => (retired.has(lane) ? [] : [lane]));
  const pump = (): void => {
    for (const lane of live()) {
      if (busy[lane]) continue;
      let entry = waiting.shift();
      // why: the deadline timer may not have fired yet on a busy event loop; a job already late is not started.
      while (entry && entry.deadline !== undefined && clock() >= entry.deadline) {
        settle(entry, () => entry!.reject(late()));
        entry = waiting.shift();
      }
      if (!entry) return;
      const running = entry;
      const started = clock();
      busy[lane] = true;
      // why: the lane is free and the estimate updated before the caller hears back, so its next job sees both.
      const finish = (took: number | null, outcome: () => void): void => {
        if (took !== null) costMs = costMs === null ? took : costMs + COST_WEIGHT * (took - costMs);
        busy[lane] = false;
        settle(running, outcome);
        pump();
      };
      lanes[lane]!(running.job).then(
        (result) => finish(costOf(result, clock() - started), () => running.resolve(result)),
        (error: unknown) => finish(null, () => running.reject(ConexusError.from(error))),
      );
    }
  };

  return {
    run(job, deadline) {
      return new Promise<R>((resolve, reject) => {
        const lanesLeft = live();
        if (lanesLeft.length === 0) return reject(new ConexusError('unavailable', 'no search thread is running'));
        if (deadline !== undefined) {
          const left = deadline - clock();
          if (left <= 0) return reject(late());
          const ahead = waiting.length + lanesLeft.filter((lane) => busy[lane]).length;
          // why: the lanes share the work queued ahead; when it alone outlasts the time left, queueing would only
          // make the caller wait to learn that it is late, and hold a thread for nobody.
          const aheadMs = costMs === null ? 0 : (ahead / lanesLeft.length) * costMs;
          if (aheadMs > left) {
            return reject(
              new ConexusError(
                'resource_exhausted',
                `search is busy: ${ahead} searches ahead need about ${Math.round(aheadMs)} ms and ${left} ms are left`,
              ),
            );
          }
        }
        const entry: Entry<J, R> = { job, deadline, resolve, reject, timer: null, settled: false };
        if (deadline !== undefined) {
          entry.timer = setTimeout(() => {
            const at = waiting.indexOf(entry);
            if (at >= 0) waiting.splice(at, 1);
            settle(entry, () => reject(late()));
          }, deadline - clock());
        }
        waiting.push(entry);
        pump();
      });
    },
    retire(lane) {
      retired.add(lane);
      if (live().length > 0) return;
      for (const entry of waiting.splice(0))
        settle(entry, () => entry.reject(new ConexusError('unavailable', 'no search thread is running')));
    },
  };
}

function late(): ConexusError {
  return new ConexusError('deadline_exceeded', 'the search ran out of time');
}
