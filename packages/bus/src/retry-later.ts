/** A worker's rejection asking for the job to come back only after a delay; other jobs of the queue go on meanwhile. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';

  constructor(
    readonly delayMs: number,
    readonly reason: unknown,
  ) {
    super(`retry in ${delayMs} ms: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

/** The redelivery delay a worker's rejection asks for: its RetryLater delay, else none. */
export function retryDelayOf(rejection: unknown): number {
  return rejection instanceof RetryLater ? Math.max(0, rejection.delayMs) : 0;
}
