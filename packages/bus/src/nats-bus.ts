import {
  AckPolicy,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import {
  connect,
  headers as natsHeaders,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type MsgHdrs,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from '@nats-io/transport-node';
import { ConexusError } from '@conexus/kernel';
import {
  DEFAULT_QUEUE_SETTINGS,
  deadLetterSubject,
  type Bus,
  type BusHeaders,
  type QueueSettings,
  type Subscription,
  type Worker,
} from './bus.js';
import { retryDelayOf } from './retry-later.js';
import { abortFailure } from './abort-failure.js';
import { errorFromHeaders, errorHeaders } from './error-headers.js';
import type { BlobStore } from './blob-store.js';
import { openNatsBlobStore, type NatsBlobStoreOptions } from './nats-blob-store.js';

/** Where the NATS bus connects and how its job queues redeliver. */
export interface NatsBusOptions {
  readonly servers: string | string[];
  /** Shows up in the server's connection list, e.g. "indexer-1". */
  readonly name?: string;
  readonly settings?: QueueSettings;
}

/** The bus over NATS, which also says whether its connection is up. */
export interface NatsBus extends Bus {
  /** True while connected to a server; false while disconnected, reconnecting, draining or closed. */
  connected(): boolean;
  /** A JetStream object store bucket on this connection, created when missing. */
  blobStore(bucket: string, options?: NatsBlobStoreOptions): Promise<BlobStore>;
}

const JOB_STREAM = 'CONEXUS_JOBS';
const DEAD_STREAM = 'CONEXUS_DEAD';
const DEDUPE_WINDOW_NS = 120_000_000_000;
const RETRY_CONSUME_MS = 500;
/** Closing: the longest wait for answers still being worked out (each is bounded by its caller's deadline anyway). */
const CLOSE_ANSWERS_MS = 15_000;
/** The longest wait for the server to confirm a responder's unsubscribe (it cannot while the connection is down). */
const DRAIN_MS = 2_000;

/** Connects the bus to a NATS server with JetStream; job queues are durable work-queue consumers. */
export async function connectNatsBus(options: NatsBusOptions): Promise<NatsBus> {
  const settings = options.settings ?? DEFAULT_QUEUE_SETTINGS;
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
  } catch (error) {
    throw new ConexusError(
      'unavailable',
      `cannot reach NATS at ${String(options.servers)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const nc = connection;
  const link = trackConnection(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  const js = jetstream(nc);
  const consumers = new Set<{ stop(): void }>();
  const responders = new Set<NatsSubscription>();
  const answering = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;
  const publish = (subject: string, data: Uint8Array, headers?: BusHeaders): void =>
    nc.publish(subject, data, { headers: toNatsHeaders(headers) });

  return {
    connected: () => link.up && !nc.isClosed() && !nc.isDraining(),
    blobStore: (bucket, blobOptions) => openNatsBlobStore(nc, bucket, blobOptions),
    async request(subject, data, requestOptions) {
      const { signal } = requestOptions;
      if (signal?.aborted) throw abortFailure(subject, signal);
      const reply = nc.request(subject, data, {
        timeout: requestOptions.timeoutMs,
        headers: toNatsHeaders(requestOptions.headers),
      });
      const aborted = new Promise<never>((_, reject) => {
        signal?.addEventListener('abort', () => reject(abortFailure(subject, signal)), { once: true });
      });
      let message;
      try {
        message = await Promise.race([reply, aborted]);
      } catch (error) {
        throw requestFailure(subject, requestOptions.timeoutMs, error);
      }
      const received = fromNatsHeaders(message.headers);
      const failure = errorFromHeaders(received);
      if (failure) throw failure;
      return { subject, data: message.data, headers: received };
    },
    respond(subject, responder, group) {
      const subscription = nc.subscribe(subject, {
        queue: group,
        callback: (error, message) => {
          if (error) return;
          const answer = responder({
            subject: message.subject,
            data: message.data,
            headers: fromNatsHeaders(message.headers),
          })
            .then(
              (reply) => message.respond(reply),
              (reason) => message.respond(new Uint8Array(), { headers: toNatsHeaders(errorHeaders(reason)) }),
            )
            .finally(() => answering.delete(answer));
          answering.add(answer);
        },
      });
      responders.add(subscription);
      return {
        unsubscribe: async () => {
          // why: like close(), a drain still answers the requests the server routed here before it saw the unsubscribe.
          if (responders.delete(subscription)) await drainWithin(subscription, DRAIN_MS);
        },
      };
    },
    publish,
    subscribe(subject, listener) {
      const subscription = nc.subscribe(subject, {
        callback: (error, message) => {
          if (!error)
            listener({ subject: message.subject, data: message.data, headers: fromNatsHeaders(message.headers) });
        },
      });
      return { unsubscribe: async () => subscription.unsubscribe() };
    },
    async enqueue(queue, id, data, headers) {
      try {
        await js.publish(jobSubject(queue), data, { msgID: id, headers: toNatsHeaders(headers) });
      } catch (error) {
        throw new ConexusError('unavailable', `cannot queue job ${id}: ${(error as Error).message}`, { cause: error });
      }
    },
    consume(queue, worker): Subscription {
      const loop = consumeLoop(jsm, js, queue, worker, settings, publish);
      consumers.add(loop);
      return {
        async unsubscribe() {
          consumers.delete(loop);
          loop.stop();
        },
      };
    },
    async pending(queue) {
      const info = await jsm.streams.info(JOB_STREAM, { subjects_filter: jobSubject(queue) });
      return info.state.subjects?.[jobSubject(queue)] ?? 0;
    },
    close() {
      // why: a second close (a stop racing a shutdown hook) waits for the first instead of draining twice.
      closing ??= (async () => {
        for (const loop of consumers) loop.stop();
        // why: a request taken before the stop is still answered: no new ones arrive (the queue group's other members
        // get them), and the connection stays open until the answers in progress, which may still ask others, are sent.
        // Draining, not unsubscribing: requests the server routed here before it saw the unsubscribe are still taken
        // (an unsubscribe drops them, and their callers wait out their timeouts).
        const draining = [...responders].map((subscription) => drainWithin(subscription, DRAIN_MS));
        responders.clear();
        await Promise.all(draining);
        await settlesWithin(Promise.allSettled([...answering]), CLOSE_ANSWERS_MS);
        if (!nc.isClosed()) await nc.drain();
      })();
      return closing;
    },
  };
}

/** Drains a subscription, or, when the server does not confirm within `ms` (say, while disconnected), closes it here. */
async function drainWithin(subscription: NatsSubscription, ms: number): Promise<void> {
  const drained = await settlesWithin(subscription.drain(), ms);
  if (!drained && !subscription.isClosed()) subscription.unsubscribe();
}

/** Whether `work` fulfils within `ms` (false when it rejects or is still going). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Follows the connection's status events: down on a disconnect, up again on a reconnect. */
function trackConnection(nc: NatsConnection): { readonly up: boolean } {
  const link = { up: true };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'staleConnection') link.up = false;
      else if (status.type === 'reconnect') link.up = true;
    }
    // why: the status stream ends when the connection closes for good.
    link.up = false;
  })();
  return link;
}

function jobSubject(queue: string): string {
  return `conexus.jobs.${queue}`;
}

function durableName(queue: string): string {
  return `jobs-${queue.replace(/[^\w-]/g, '-')}`;
}

async function ensureStreams(jsm: JetStreamManager): Promise<void> {
  const streams = [
    {
      name: JOB_STREAM,
      subjects: ['conexus.jobs.>'],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: DEDUPE_WINDOW_NS,
    },
    {
      name: DEAD_STREAM,
      subjects: ['conexus.dead.>'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_msgs: 100_000,
    },
  ];
  for (const config of streams) {
    try {
      await jsm.streams.info(config.name);
    } catch {
      // why: two replicas starting together may both try; the loser finds the stream made.
      await jsm.streams.add(config).catch(async (error) => {
        await jsm.streams.info(config.name).catch(() => {
          throw error;
        });
      });
    }
  }
}

/** Pulls jobs one at a time, re-attaching after reconnects, and dead-letters jobs past their deliveries. */
function consumeLoop(
  jsm: JetStreamManager,
  js: JetStreamClient,
  queue: string,
  worker: Worker,
  settings: QueueSettings,
  publish: (subject: string, data: Uint8Array, headers: BusHeaders) => void,
): { stop(): void } {
  let stopped = false;
  let messages: ConsumerMessages | null = null;
  const run = async (): Promise<void> => {
    while (!stopped) {
      try {
        await jsm.consumers.add(JOB_STREAM, {
          durable_name: durableName(queue),
          filter_subject: jobSubject(queue),
          ack_policy: AckPolicy.Explicit,
          ack_wait: settings.ackWaitMs * 1_000_000,
          max_ack_pending: 1,
        });
        const consumer = await js.consumers.get(JOB_STREAM, durableName(queue));
        messages = await consumer.consume({ max_messages: 1 });
        for await (const message of messages) {
          if (stopped) break;
          await handle(message);
        }
      } catch {
        // why: the server may be restarting; the durable consumer keeps every unacknowledged job.
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, RETRY_CONSUME_MS));
    }
  };
  const handle = async (message: JsMsg): Promise<void> => {
    const deliveries = message.info.deliveryCount;
    const headers = fromNatsHeaders(message.headers);
    const id = message.headers?.get('Nats-Msg-Id') ?? `${message.seq}`;
    const deadLetter = (): void => {
      publish(deadLetterSubject(queue), message.data, { ...headers, 'conexus-job-id': id });
      message.term('exhausted deliveries');
    };
    if (deliveries > settings.maxDeliveries) return deadLetter();
    try {
      await worker({ id, subject: queue, data: message.data, headers, deliveries, progress: () => message.working() });
      await message.ackAck().catch(() => message.ack());
    } catch (rejection) {
      if (deliveries >= settings.maxDeliveries) deadLetter();
      else message.nak(retryDelayOf(rejection) || undefined);
    }
  };
  void run();
  return {
    stop() {
      stopped = true;
      messages?.stop();
    },
  };
}

function requestFailure(subject: string, timeoutMs: number, error: unknown): ConexusError {
  if (error instanceof ConexusError) return error;
  if (error instanceof NoRespondersError || (error instanceof RequestError && error.isNoResponders())) {
    return new ConexusError('unavailable', `no responder for ${subject}`, { cause: error });
  }
  if (error instanceof TimeoutError || (error instanceof RequestError && error.cause instanceof TimeoutError)) {
    return new ConexusError('deadline_exceeded', `no reply from ${subject} within ${timeoutMs} ms`, { cause: error });
  }
  return new ConexusError('unavailable', `request to ${subject} failed: ${(error as Error).message}`, { cause: error });
}

function toNatsHeaders(values: BusHeaders | undefined): MsgHdrs | undefined {
  if (!values || Object.keys(values).length === 0) return undefined;
  const result = natsHeaders();
  for (const [key, value] of Object.entries(values)) result.set(key, value);
  return result;
}

function fromNatsHeaders(values: MsgHdrs | undefined): BusHeaders {
  const result: Record<string, string> = {};
  if (!values) return result;
  for (const key of values.keys()) {
    // why: NATS canonicalizes header names; the bus speaks lower case on both adapters.
    result[key.toLowerCase()] = values.get(key);
  }
  return result;
}
