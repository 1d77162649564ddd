import { ConexusError } from '@conexus/kernel';
import {
  DEFAULT_QUEUE_SETTINGS,
  deadLetterSubject,
  type Bus,
  type BusHeaders,
  type BusMessage,
  type QueueSettings,
  type QueuedJob,
  type Responder,
  type Subscription,
  type Worker,
} from './bus.js';
import { retryDelayOf } from './retry-later.js';
import { abortFailure } from './abort-failure.js';
import { errorFromHeaders, errorHeaders } from './error-headers.js';
import { subjectMatches } from './subject-match.js';

const DEDUPE_WINDOW_MS = 120_000;

interface PendingJob {
  readonly id: string;
  readonly data: Uint8Array;
  readonly headers: BusHeaders;
  deliveries: number;
}

interface Consumer {
  readonly worker: Worker;
  busy: boolean;
}

interface Delivery {
  readonly job: PendingJob;
  readonly consumer: Consumer;
  timer: NodeJS.Timeout;
}

interface Queue {
  readonly waiting: PendingJob[];
  readonly inFlight: Set<Delivery>;
  /** Jobs a worker asked to see again later, not yet back in `waiting`. */
  readonly delayed: Set<PendingJob>;
  readonly consumers: Consumer[];
  readonly seen: Map<string, number>;
}

/** The bus of the embedded server: the same semantics as the NATS adapter, inside one process. */
export function createInProcessBus(settings: QueueSettings = DEFAULT_QUEUE_SETTINGS): Bus {
  // why: one process holds every responder, so each request goes to one of them in turn, grouped or not.
  const responders: { subject: string; responder: Responder }[] = [];
  const listeners: { subject: string; listener: (message: BusMessage) => void }[] = [];
  const queues = new Map<string, Queue>();
  let turn = 0;
  let closed = false;

  const open = (): void => {
    if (closed) throw new ConexusError('unavailable', 'the bus is closed');
  };
  const queueOf = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = { waiting: [], inFlight: new Set(), delayed: new Set(), consumers: [], seen: new Map() };
      queues.set(name, queue);
    }
    return queue;
  };
  const publish = (subject: string, data: Uint8Array, headers: BusHeaders = {}): void => {
    open();
    for (const entry of listeners.filter((candidate) => subjectMatches(candidate.subject, subject))) {
      const message = { subject, data: data.slice(), headers: { ...headers } };
      setImmediate(() => {
        // why: a failing listener must not break the publisher, as with a remote subscriber.
        try {
          entry.listener(message);
        } catch {
          /* the listener's own failure */
        }
      });
    }
  };

  const settle = (name: string, delivery: Delivery, outcome: 'ack' | 'retry' | 'abandon', retryInMs = 0): void => {
    const queue = queueOf(name);
    if (!queue.inFlight.delete(delivery)) return;
    clearTimeout(delivery.timer);
    delivery.consumer.busy = false;
    if (outcome === 'retry' && delivery.job.deliveries >= settings.maxDeliveries) {
      publish(deadLetterSubject(name), delivery.job.data, {
        ...delivery.job.headers,
        'conexus-job-id': delivery.job.id,
      });
    } else if (outcome !== 'ack' && retryInMs > 0) {
      // why: like a NATS nak with a delay, the job waits outside the queue and the consumer takes other jobs meanwhile.
      queue.delayed.add(delivery.job);
      const timer = setTimeout(() => {
        if (!queue.delayed.delete(delivery.job)) return;
        queue.waiting.push(delivery.job);
        pump(name);
      }, retryInMs);
      timer.unref();
    } else if (outcome !== 'ack') {
      queue.waiting.push(delivery.job);
    }
    setImmediate(() => pump(name));
  };
  const pump = (name: string): void => {
    const queue = queueOf(name);
    if (closed) return;
    for (const consumer of queue.consumers) {
      if (consumer.busy || queue.waiting.length === 0) continue;
      const job = queue.waiting.shift()!;
      job.deliveries += 1;
      consumer.busy = true;
      const delivery: Delivery = {
        job,
        consumer,
        timer: setTimeout(() => settle(name, delivery, 'abandon'), settings.ackWaitMs),
      };
      queue.inFlight.add(delivery);
      const queued: QueuedJob = {
        id: job.id,
        subject: name,
        data: job.data.slice(),
        headers: { ...job.headers },
        deliveries: job.deliveries,
        progress: () => {
          if (!queue.inFlight.has(delivery)) return;
          clearTimeout(delivery.timer);
          delivery.timer = setTimeout(() => settle(name, delivery, 'abandon'), settings.ackWaitMs);
        },
      };
      setImmediate(() => {
        consumer.worker(queued).then(
          () => settle(name, delivery, 'ack'),
          (rejection: unknown) => settle(name, delivery, 'retry', retryDelayOf(rejection)),
        );
      });
    }
  };

  return {
    async request(subject, data, options) {
      open();
      const matching = responders.filter((entry) => subjectMatches(entry.subject, subject));
      if (matching.length === 0) throw new ConexusError('unavailable', `no responder for ${subject}`);
      const chosen = matching[turn++ % matching.length]!;
      const message = { subject, data: data.slice(), headers: { ...options.headers } };
      return await new Promise<BusMessage>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new ConexusError('deadline_exceeded', `no reply from ${subject} within ${options.timeoutMs} ms`)),
            ),
          options.timeoutMs,
        );
        const onAbort = (): void => finish(() => reject(abortFailure(subject, options.signal!)));
        const finish = (action: () => void): void => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          action();
        };
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        setImmediate(() => {
          chosen.responder(message).then(
            (reply) => finish(() => resolve({ subject, data: reply.slice(), headers: {} })),
            (reason: unknown) =>
              finish(() =>
                reject(errorFromHeaders(errorHeaders(reason)) ?? new ConexusError('internal', 'the responder failed')),
              ),
          );
        });
      });
    },
    respond(subject, responder) {
      open();
      const entry = { subject, responder };
      responders.push(entry);
      return { unsubscribe: async () => void responders.splice(responders.indexOf(entry) >>> 0, 1) };
    },
    publish,
    subscribe(subject, listener) {
      open();
      const entry = { subject, listener };
      listeners.push(entry);
      return { unsubscribe: async () => void listeners.splice(listeners.indexOf(entry) >>> 0, 1) };
    },
    async enqueue(name, id, data, headers = {}) {
      open();
      const queue = queueOf(name);
      const now = Date.now();
      for (const [seenId, at] of queue.seen) if (now - at > DEDUPE_WINDOW_MS) queue.seen.delete(seenId);
      if (queue.seen.has(id)) return;
      queue.seen.set(id, now);
      queue.waiting.push({ id, data: data.slice(), headers: { ...headers }, deliveries: 0 });
      setImmediate(() => pump(name));
    },
    consume(name, worker): Subscription {
      open();
      const queue = queueOf(name);
      const consumer: Consumer = { worker, busy: false };
      queue.consumers.push(consumer);
      setImmediate(() => pump(name));
      return {
        async unsubscribe() {
          queue.consumers.splice(queue.consumers.indexOf(consumer) >>> 0, 1);
          for (const delivery of [...queue.inFlight].filter((candidate) => candidate.consumer === consumer))
            settle(name, delivery, 'abandon');
        },
      };
    },
    async pending(name) {
      const queue = queueOf(name);
      return queue.waiting.length + queue.inFlight.size + queue.delayed.size;
    },
    async close() {
      closed = true;
      for (const queue of queues.values()) for (const delivery of queue.inFlight) clearTimeout(delivery.timer);
    },
  };
}
