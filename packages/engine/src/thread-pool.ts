import { Piscina } from 'piscina';

/** How a thread pool is started: its worker script (a module whose default export handles one task) and size. */
export interface ThreadPoolOptions {
  readonly script: string;
  readonly threads: number;
  /** Tasks handed to a thread ahead of its answers (1: one at a time). */
  readonly tasksPerThread?: number;
  /** Handed to each thread as `workerData`. */
  readonly workerData?: unknown;
}

/** A fixed number of worker threads, a dead one replaced, all kept while the pool is open. */
export interface ThreadPool<T, R> {
  /** Runs `task` on a thread; fails with the thread's error when it dies, or at once once the pool has stopped. */
  run(task: T): Promise<R>;
  /** Threads alive now. */
  readonly threads: number;
  /** True once no thread is left: they died while starting, and piscina does not start those again. */
  readonly stopped: boolean;
  close(): Promise<void>;
}

/** Starts `options.threads` piscina threads running `options.script`. */
export function createThreadPool<T, R>(options: ThreadPoolOptions): ThreadPool<T, R> {
  const pool = new Piscina<T, R>({
    filename: options.script,
    minThreads: options.threads,
    maxThreads: options.threads,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: options.tasksPerThread ?? 1,
    // why: a thread waits for its next task without blocking its event loop, so a handler's awaits complete; with
    // 'sync', threads given several tasks at once chunked measurably slower.
    atomics: 'async',
    workerData: options.workerData,
  });
  let stopped = false;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= pool.destroy());
  const checkAlive = (): void => {
    if (stopped || pool.threads.length > 0) return;
    stopped = true;
    // why: destroying the pool fails every task still queued for a thread now.
    void close();
  };
  // why: piscina emits 'error' for a thread that died holding no task; unheard, it would crash the process. A pool
  // whose threads all died while starting would otherwise keep its queued tasks waiting forever. (No AbortSignal per
  // task: a listener per queued task on one signal made indexing measurably slower.)
  pool.on('error', checkAlive);
  return {
    async run(task) {
      if (stopped) throw new Error('no worker thread is running');
      try {
        return await pool.run(task);
      } finally {
        checkAlive();
      }
    },
    get threads() {
      return pool.threads.length;
    },
    get stopped() {
      return stopped;
    },
    close,
  };
}
