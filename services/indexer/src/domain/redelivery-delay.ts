/** How long a failed job waits before it is handed back for redelivery. */
export interface RedeliveryBackoff {
  /** The wait after the first failed delivery; each later one doubles it. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** The queue's last delivery; after it the job is dead-lettered, so there is nothing to wait for. */
  readonly maxDeliveries: number;
}

/** The wait before redelivering a job that failed on delivery `deliveries` (1 for the first): exponential, capped, 0 after the last. */
export function redeliveryDelayMs(deliveries: number, backoff: RedeliveryBackoff): number {
  if (deliveries >= backoff.maxDeliveries) return 0;
  return Math.min(backoff.maxDelayMs, backoff.firstDelayMs * 2 ** Math.max(0, deliveries - 1));
}
