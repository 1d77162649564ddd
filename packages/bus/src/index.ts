export {
  DEFAULT_QUEUE_SETTINGS,
  deadLetterSubject,
  type Bus,
  type BusHeaders,
  type BusMessage,
  type QueueSettings,
  type QueuedJob,
  type RequestOptions,
  type Responder,
  type Subscription,
  type Worker,
} from './bus.js';
export { createInProcessBus } from './in-process-bus.js';
export { RetryLater } from './retry-later.js';
export { tracedBus } from './traced-bus.js';
export { connectNatsBus, type NatsBus, type NatsBusOptions } from './nats-bus.js';
export type { BlobInfo, BlobStore } from './blob-store.js';
export { openDirectoryBlobStore } from './directory-blob-store.js';
export type { NatsBlobStoreOptions } from './nats-blob-store.js';
