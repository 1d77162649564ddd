/** Headers carried with a message: trace context, principal, deadline. */
export type BusHeaders = Readonly<Record<string, string>>;

/** A message received from the bus. */
export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: BusHeaders;
}

/** How long a request may take, and what travels with it. */
export interface RequestOptions {
  readonly timeoutMs: number;
  readonly headers?: BusHeaders;
  readonly signal?: AbortSignal;
}

/** Answers one request; a thrown ConexusError reaches the requester with its code and message. */
export type Responder = (message: BusMessage) => Promise<Uint8Array>;

/** A job taken from a queue; it is acknowledged when the worker resolves. */
export interface QueuedJob extends BusMessage {
  readonly id: string;
  /** 1 on the first delivery, higher on redeliveries. */
  readonly deliveries: number;
  /** Tells the queue the worker is alive, so a long job is not redelivered. */
  readonly progress: () => void;
}

/** Processes one job; resolving acknowledges it, rejecting asks for a redelivery (after its delay, when it is a RetryLater). */
export type Worker = (job: QueuedJob) => Promise<void>;

/** Something to stop receiving. */
export interface Subscription {
  unsubscribe(): Promise<void>;
}

/** Redelivery rules of job queues. */
export interface QueueSettings {
  /** A job not acknowledged (or reported in progress) within this time is redelivered. */
  readonly ackWaitMs: number;
  /** After this many failed deliveries a job goes to the dead-letter subject. */
  readonly maxDeliveries: number;
}

/** Default redelivery rules: long enough for a large clone between progress reports. */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { ackWaitMs: 60_000, maxDeliveries: 5 };

/** The message bus between services: request/reply, publish/subscribe and durable job queues. */
export interface Bus {
  /** Sends a request to one responder; fails `unavailable` with none, `deadline_exceeded` on timeout. */
  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage>;
  /** Answers requests on a subject; responders sharing a group split the requests. */
  respond(subject: string, responder: Responder, group?: string): Subscription;
  publish(subject: string, data: Uint8Array, headers?: BusHeaders): void;
  /** Receives published messages; `*` matches one subject token and `>` the rest. */
  subscribe(subject: string, listener: (message: BusMessage) => void): Subscription;
  /** Adds a job to a queue; a second job with the same id within the dedupe window is dropped. */
  enqueue(queue: string, id: string, data: Uint8Array, headers?: BusHeaders): Promise<void>;
  /** Takes jobs from a queue one at a time; each job goes to one worker. */
  consume(queue: string, worker: Worker): Subscription;
  /** Jobs in a queue not yet acknowledged. */
  pending(queue: string): Promise<number>;
  close(): Promise<void>;
}

/** The subject on which jobs that exhausted their deliveries are published. */
export function deadLetterSubject(queue: string): string {
  return `conexus.dead.${queue}`;
}
