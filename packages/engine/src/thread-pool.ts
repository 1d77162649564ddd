import { setMaxListeners } from 'node:events';
import { Piscina } from 'piscina';

/** How a thread pool is started: its worker script (a module whose default export handles one task) and size. */
export interface ThreadPoolOptions {
  readonly script: string;
  readonly threads: number;
  /** Tasks handed to a thread ahead of its answers (1: one at a time). */
  readonly tasksPerThread?: number;
  /** Handed to each thread as `workerData`. */
  readonly workerData?: unknown;
  /** 'sync' for handlers that never await; 'async' lets a handler's awaits complete between tasks. */
  readonly atomics?: 'sync' | 'async';
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
    atomics: options.atomics ?? 'sync',
    workerData: options.workerData,
  });
  const stop = new AbortController();
  // why: every task in flight listens on this one signal.
  setMaxListeners(0, stop.signal);
  const checkAlive = (): void => {
    if (pool.threads.length === 0) stop.abort();
  };
  // why: piscina emits 'error' for a thread that died holding no task; unheard, it would crash the process. A pool
  // whose threads all died while starting would otherwise keep its queued tasks waiting forever.
  pool.on('error', checkAlive);
  return {
    async run(task) {
      try {
        return await pool.run(task, { signal: stop.signal });
      } finally {
        checkAlive();
      }
    },
    get threads() {
      return pool.threads.length;
    },
    get stopped() {
      return stop.signal.aborted;
    },
    close: () => pool.destroy(),
  };
}
