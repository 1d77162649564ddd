import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexJobSchema, IndexState, type IndexEvent } from '@conexus/api';
import { DEFAULT_QUEUE_SETTINGS, RetryLater, type Bus, type Subscription } from '@conexus/bus';
import type { ShardedEngine } from '@conexus/engine';
import { ConexusError, contentHash } from '@conexus/kernel';
import { ownedShards, shardOf } from '@conexus/sharding';
import {
  ALL_INDEX_EVENTS,
  HEADERS,
  HEARTBEAT_SUBJECT,
  indexEventSubject,
  shardQueue,
  shardSubject,
  type ShardOperation,
} from '@conexus/wire';
import type { Logger } from '@conexus/telemetry';
import { answerShard } from './app/answer-shard.js';
import { createSourceAccess } from './adapters/create-source-access.js';
import { readRepoFile } from './adapters/fs/read-repo-file.js';
import { runIndexJob, type DenseOutcome } from './app/run-index-job.js';
import type { SourcePolicy } from './app/source-policy.js';
import type { ShardSnapshotter } from './adapters/snapshots/shard-snapshotter.js';
import { liveReplicas } from './domain/live-replicas.js';
import { redeliveryDelayMs, type RedeliveryBackoff } from './domain/redelivery-delay.js';

/** How an indexer replica is wired. */
export interface IndexerServiceOptions {
  readonly bus: Bus;
  readonly engines: ShardedEngine;
  /** This replica's stable id, e.g. the StatefulSet pod name. */
  readonly replica: string;
  readonly sources: SourcePolicy;
  readonly log: Logger;
  /** True for the embedded server: the only replica, owning every shard from the start. */
  readonly solo?: boolean;
  readonly heartbeatMs?: number;
  /** A replica silent for this long is gone and its shards move. */
  readonly replicaTtlMs?: number;
  /** How long a job that failed transiently waits before it is redelivered; pass the queue's maxDeliveries. */
  readonly redelivery?: RedeliveryBackoff;
  /**
   * Shard snapshots in object storage: a claimed shard whose local store is missing or older is restored from
   * its newest snapshot, and a job is acknowledged only once a snapshot holding its result is stored.
   */
  readonly snapshots?: ShardSnapshotter;
}

/** The default wait before redelivery: 2 s, doubling, at most one minute (2+4+8+16 s over five deliveries). */
export const DEFAULT_REDELIVERY: RedeliveryBackoff = {
  firstDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxDeliveries: DEFAULT_QUEUE_SETTINGS.maxDeliveries,
};

/** A running indexer replica. */
export interface IndexerService {
  /** The shards this replica owns now. */
  owned(): number[];
  stop(): Promise<void>;
}

const OPERATIONS: readonly ShardOperation[] = ['search', 'repos', 'file', 'symbol', 'remove', 'status'];

/** Starts an indexer replica: it claims shards by rendezvous hashing, answers for them and runs their jobs. */
export async function startIndexerService(options: IndexerServiceOptions): Promise<IndexerService> {
  const { bus, engines, replica, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const ttlMs = options.replicaTtlMs ?? 3 * heartbeatMs;
  const shardCount = engines.shardCount;
  const heartbeats = new Map<string, number>();
  const sourceAccess = createSourceAccess(options.sources);
  const claims = new Map<number, Subscription[]>();
  const lastEvents = new Map<string, IndexEvent>();
  const redelivery = options.redelivery ?? DEFAULT_REDELIVERY;
  // why: stop() must end within seconds at any moment; this reaches the engine, which rolls back an unfinished
  // lexical snapshot and stops embedding, keeping what was committed.
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };
  let stopped = false;

  const publishEvent = (event: IndexEvent): void => {
    lastEvents.set(event.repo, event);
    if (!stopped) bus.publish(indexEventSubject(event.repo), toBinary(IndexEventSchema, event));
  };
  const { snapshots } = options;
  // Stores a snapshot of the shard (with snapshots on); a failure hands the job back, to be redelivered later.
  const storeSnapshot = async (shard: number, fields: Record<string, unknown>): Promise<void> => {
    if (!snapshots) return;
    const started = Date.now();
    try {
      const snapshot = await snapshots.save(shard);
      log.info('shard snapshot stored', { ...fields, generation: snapshot.generation, ms: Date.now() - started });
    } catch (error) {
      const failure = ConexusError.from(error);
      log.warn('shard snapshot failed', { ...fields, reason: failureDetail(failure) });
      throw new RetryLater(redeliveryDelayMs(1, redelivery), failure);
    }
  };
  const followDense = (dense: Promise<DenseOutcome>, fields: Record<string, unknown>, shard: number): void => {
    void track(dense).then(async (outcome) => {
      if (!outcome.ok)
        log.warn('embedding failed', { ...fields, code: outcome.error.code, reason: failureDetail(outcome.error) });
      else if (outcome.complete) log.info('embedded', { ...fields, embedded: outcome.embedded });
      else log.info('embedding stopped; the lexical snapshot stays', { ...fields, embedded: outcome.embedded });
      // why: the vectors are worth keeping too, but nobody waits for them.
      if (outcome.ok && !stopped) await storeSnapshot(shard, fields).catch(() => undefined);
    });
  };
  const claim = (shard: number): Subscription[] => {
    const engine = engines.shard(shard);
    const forget = (repo: string): void =>
      rmSync(join(options.sources.checkoutsDir, contentHash('checkout', repo)), { recursive: true, force: true });
    const answers = OPERATIONS.map((operation) =>
      bus.respond(
        shardSubject(shard, operation),
        (message) =>
          answerShard(
            { shard, engine, lastEvents, forget, readFile: readRepoFile },
            operation,
            message.data,
            Number(message.headers[HEADERS.deadline]) || undefined,
          ),
        `shard-${shard}`,
      ),
    );
    const jobs = bus.consume(shardQueue(shard), async (job) => {
      const decoded = fromBinary(IndexJobSchema, job.data);
      const fields = { shard, repo: decoded.repo, jobId: decoded.jobId, delivery: job.deliveries };
      log.info('index job', fields);
      const outcome = await track(
        runIndexJob(
          { engine, sources: sourceAccess, publish: publishEvent, now: () => new Date(), signal: stopping.signal },
          decoded,
          job.progress,
        ),
      );
      // why: the job is acknowledged once its lexical snapshot commits (and, with snapshots, is stored beyond this
      // pod); the vectors follow in the background.
      if (outcome.ok) {
        await storeSnapshot(shard, fields);
        return outcome.dense ? followDense(outcome.dense, fields, shard) : undefined;
      }
      if (stopping.signal.aborted) {
        log.info('index job stopped; it will be redelivered', fields);
        throw new RetryLater(0, outcome.error);
      }
      const retryInMs = outcome.retry ? redeliveryDelayMs(job.deliveries, redelivery) : 0;
      log.warn('index job failed', {
        ...fields,
        code: outcome.error.code,
        reason: failureDetail(outcome.error),
        retry: outcome.retry,
        retryInMs,
      });
      if (!outcome.retry) return;
      // why: redeliveries are spaced out exponentially by the bus (a NATS nak with a delay), not by holding the job here.
      throw new RetryLater(retryInMs, outcome.error);
    });
    return [...answers, jobs];
  };
  // Brings a shard about to be claimed up to its newest snapshot; without one (or unreachable), the local store serves.
  const restoreSnapshot = async (shard: number): Promise<void> => {
    if (!snapshots) return;
    const started = Date.now();
    try {
      const restored = await snapshots.prepare(shard, () => engines.release(shard));
      if (restored)
        log.info('shard restored from snapshot', {
          shard,
          generation: restored.generation,
          takenAt: restored.takenAt,
          bytes: restored.files.reduce((sum, file) => sum + file.size, 0),
          ms: Date.now() - started,
        });
    } catch (error) {
      log.error('shard snapshot restore failed; serving the local store', {
        shard,
        reason: failureDetail(ConexusError.from(error)),
      });
    }
  };
  let rebalancing = Promise.resolve();
  // why: heartbeats, departures and the timer may all ask at once; claims must change one step at a time.
  const rebalance = (): Promise<void> => (rebalancing = rebalancing.then(rebalanceNow, rebalanceNow));
  const rebalanceNow = async (): Promise<void> => {
    const live = options.solo ? [replica] : liveReplicas(replica, heartbeats, Date.now(), ttlMs);
    const wanted = new Set(ownedShards(replica, live, shardCount));
    for (const [shard, subscriptions] of claims) {
      if (wanted.has(shard)) continue;
      claims.delete(shard);
      for (const subscription of subscriptions) await subscription.unsubscribe();
      log.info('released shard', { shard, replicas: live });
    }
    for (const shard of wanted) {
      if (claims.has(shard)) continue;
      await restoreSnapshot(shard);
      claims.set(shard, claim(shard));
      log.info('claimed shard', { shard, replicas: live });
    }
  };

  // why: the gateway announces queued jobs; remembering them lets a status read right after AddRepo say "queued".
  const queuedSubscription = bus.subscribe(ALL_INDEX_EVENTS, (message) => {
    const event = fromBinary(IndexEventSchema, message.data);
    if (event.state === IndexState.QUEUED && claims.has(shardOf(event.repo, shardCount)))
      lastEvents.set(event.repo, event);
  });
  let timer: NodeJS.Timeout | null = null;
  let heartbeatSubscription: Subscription | null = null;
  let announceLeaving = (): void => {};
  if (options.solo) {
    await rebalance();
  } else {
    heartbeatSubscription = bus.subscribe(HEARTBEAT_SUBJECT, (message) => {
      const beat = JSON.parse(new TextDecoder().decode(message.data)) as { replica: string; leaving?: boolean };
      if (beat.replica === replica) return;
      if (beat.leaving) heartbeats.delete(beat.replica);
      else heartbeats.set(beat.replica, Date.now());
      if (beat.leaving) void rebalance();
    });
    const beat = (leaving = false): void =>
      bus.publish(HEARTBEAT_SUBJECT, new TextEncoder().encode(JSON.stringify({ replica, leaving })));
    let warm = false;
    beat();
    timer = setInterval(() => {
      beat();
      if (warm) void rebalance().catch((error: unknown) => log.error('rebalance failed', { error }));
    }, heartbeatMs);
    timer.unref();
    // why: a joining replica first listens for one TTL (while beating), so it does not claim every shard while it knows only itself.
    await new Promise((resolve) => setTimeout(resolve, ttlMs));
    warm = true;
    await rebalance();
    announceLeaving = () => beat(true);
  }
  return {
    owned: () => [...claims.keys()].sort((a, b) => a - b),
    async stop() {
      if (timer) clearInterval(timer);
      announceLeaving();
      await heartbeatSubscription?.unsubscribe();
      await queuedSubscription.unsubscribe();
      // why: consumers go first, so a job stopped below is handed back to the queue rather than taken again here.
      for (const subscriptions of claims.values())
        for (const subscription of subscriptions) await subscription.unsubscribe();
      claims.clear();
      stopping.abort(new ConexusError('cancelled', 'the indexer is stopping'));
      if (!(await settledWithin([...running], STOP_WAIT_MS)))
        log.warn('index runs still going after stop', { waitedMs: STOP_WAIT_MS, runs: running.size });
      stopped = true;
    },
  };
}

// why: a stopped engine run settles within moments; the wait is bounded so that stop() keeps its 2 s promise anyway.
const STOP_WAIT_MS = 1_000;

async function settledWithin(work: readonly Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.allSettled(work).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// why: the caller's message is generic on purpose; the log gets every cause down the chain (git's own output).
function failureDetail(error: ConexusError): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error && parts.length < 5; current = current.cause) {
    if (current.message !== parts.at(-1)) parts.push(current.message);
  }
  return parts.join(': ');
}
