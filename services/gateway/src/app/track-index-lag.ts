import { fromBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState } from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ALL_INDEX_EVENTS } from '@conexus/wire';

/** How long each repository queued for indexing has waited, from the index events on the bus. */
export interface IndexLagTracker {
  /** Seconds since each repository still in the queue was queued. */
  lag(): Map<string, number>;
  stop(): Promise<void>;
}

/** Follows the index events: a repository counts from its first `queued` until `done` or `failed`. */
export function trackIndexLag(bus: Bus, now: () => number = Date.now): IndexLagTracker {
  const queuedAt = new Map<string, number>();
  const events = bus.subscribe(ALL_INDEX_EVENTS, (message) => {
    const event = fromBinary(IndexEventSchema, message.data);
    // why: a repository queued again while it waits keeps its first time, so the lag shows the whole wait.
    if (event.state === IndexState.QUEUED && !queuedAt.has(event.repo)) queuedAt.set(event.repo, now());
    if (event.state === IndexState.DONE || event.state === IndexState.FAILED) queuedAt.delete(event.repo);
  });
  return {
    lag: () => new Map([...queuedAt].map(([repo, at]) => [repo, (now() - at) / 1000])),
    stop: () => events.unsubscribe(),
  };
}
