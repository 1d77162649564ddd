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

const FINISHED = new Set([IndexState.EMBEDDING, IndexState.DONE, IndexState.FAILED]);

/** Follows the index events: a repository counts from its first `queued` until it is searchable (`embedding` or `done`) or `failed`. */
export function trackIndexLag(bus: Bus, now: () => number = Date.now): IndexLagTracker {
  const queuedAt = new Map<string, number>();
  const events = bus.subscribe(ALL_INDEX_EVENTS, (message) => {
    const event = fromBinary(IndexEventSchema, message.data);
    // why: a repository queued again while it waits keeps its first time, so the lag shows the whole wait.
    if (event.state === IndexState.QUEUED && !queuedAt.has(event.repo)) queuedAt.set(event.repo, now());
    // why: the job is acknowledged at its lexical commit; vectors computed afterwards do not make the index stale.
    if (FINISHED.has(event.state)) queuedAt.delete(event.repo);
  });
  return {
    lag: () => new Map([...queuedAt].map(([repo, at]) => [repo, (now() - at) / 1000])),
    stop: () => events.unsubscribe(),
  };
}
