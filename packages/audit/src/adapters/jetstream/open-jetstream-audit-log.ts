import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ConexusError } from '@conexus/kernel';
import type { AuditEvent } from '../../domain/audit-event.js';
import { formatAuditHead } from '../../domain/audit-head.js';
import { GENESIS_HASH, sealRecord, type ChainedRecord } from '../../domain/chained-record.js';
import { fromSeqOnward } from '../../domain/from-seq-onward.js';
import { parseRecord } from '../../domain/parse-record.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { ensureAuditStream } from './ensure-audit-stream.js';
import { openHeadBucket, type HeadBucket } from './open-head-bucket.js';
import { readStreamRecords } from './read-stream-records.js';

/** Where the JetStream audit log lives and how long it keeps records. */
export interface JetStreamAuditLogOptions {
  /** NATS servers to connect to; the log owns that connection. Give this or `connection`. */
  readonly servers?: string | string[];
  /** A connection the caller owns and closes. */
  readonly connection?: NatsConnection;
  /** Stream name (default CONEXUS_AUDIT); the stream should hold the audit subject only. */
  readonly stream?: string;
  /** Subject records are published on (default audit.events). */
  readonly subject?: string;
  /** Retention in ms, 0 = forever; left out, an existing stream keeps its setting and a new one keeps forever. */
  readonly maxAgeMs?: number;
  /** New streams refuse message deletes and purges (default true); once on, the server never lifts it. */
  readonly denyDelete?: boolean;
  /** False for readers (the CLI): never create or change the stream. Default true. */
  readonly manageStream?: boolean;
  /** The KV bucket anchoring the log's head (default `<stream>_HEAD`); every replica must name the same one. */
  readonly headBucket?: string;
  /** Shows up in the server's connection list. */
  readonly name?: string;
}

/** The stream the audit log uses unless told otherwise; every replica must name the same one. */
export const DEFAULT_AUDIT_STREAM = 'CONEXUS_AUDIT';
/** The subject audit records are published on unless told otherwise. */
export const DEFAULT_AUDIT_SUBJECT = 'audit.events';

// why: a writer that keeps losing the race gives up only after this long, so bursts from other replicas
// delay its appends rather than fail them; sustained overload of the one chain does surface as unavailable.
const GIVE_UP_AFTER_MS = 10_000;
const BACKOFF_CAP_MS = 100;

interface Tail {
  /** The stream's last sequence, which equals the chain's last seq. */
  readonly lastSeq: number;
  /** The hash of the last record still stored, or GENESIS_HASH when all have expired. */
  readonly hash: string;
}

/** Opens the audit log on a JetStream stream; replicas in many processes append to one chain. */
export async function openJetStreamAuditLog(options: JetStreamAuditLogOptions): Promise<AuditLog> {
  const stream = options.stream ?? DEFAULT_AUDIT_STREAM;
  const subject = options.subject ?? DEFAULT_AUDIT_SUBJECT;
  if (options.maxAgeMs !== undefined && (!Number.isSafeInteger(options.maxAgeMs) || options.maxAgeMs < 0)) {
    throw new ConexusError(
      'invalid_argument',
      `audit maxAgeMs must be a non-negative integer, got ${options.maxAgeMs}`,
    );
  }
  const nc = await connection(options);
  const owned = !options.connection;
  try {
    const jsm = await jetstreamManager(nc);
    const manage = options.manageStream ?? true;
    await ensureAuditStream(jsm, {
      stream,
      subject,
      maxAgeMs: options.maxAgeMs,
      denyDelete: options.denyDelete,
      manage,
    });
    const js = jetstream(nc);
    const heads = await openHeadBucket(jsm, js, options.headBucket ?? `${stream}_HEAD`, manage);
    return createLog(nc, owned, { jsm, js, heads }, stream, subject);
  } catch (error) {
    if (owned) await nc.close();
    throw error;
  }
}

interface Stores {
  readonly jsm: JetStreamManager;
  readonly js: JetStreamClient;
  readonly heads: HeadBucket;
}

function createLog(
  nc: NatsConnection,
  owned: boolean,
  { jsm, js, heads }: Stores,
  stream: string,
  subject: string,
): AuditLog {
  // why: appends from one process go one at a time, so they race only with other processes, not each other.
  let queue: Promise<unknown> = Promise.resolve();
  // why: the tail this process wrote last; a single writer then appends in one round trip.
  let known: Tail | null = null;

  const readTail = async (): Promise<Tail> => {
    // why: sequence first, message second, never in parallel: a message read before the sequence could be
    // older than it, and a record chained to that older message would pass the expectation yet break the chain.
    const { state } = await jsm.streams.info(stream);
    if (state.messages === 0) return { lastSeq: state.last_seq, hash: GENESIS_HASH };
    const last = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    if (!last) return { lastSeq: state.last_seq, hash: GENESIS_HASH };
    return {
      lastSeq: state.last_seq,
      hash: parseRecord(last.string(), `audit stream ${stream} message ${last.seq}`).hash,
    };
  };

  // why: the head first, then the tail. A head is anchored only after its record is stored, so read in this
  // order it can never be past the stream's last sequence unless sequences the stream had assigned are gone:
  // the stream was deleted and made again, or restored from an older copy. Appending then would bury that.
  const readTailBelowHead = async (): Promise<Tail> => {
    const head = await heads.read();
    const tail = await readTail();
    if (head && head.seq > tail.lastSeq) {
      throw new ConexusError(
        'failed_precondition',
        `audit stream ${stream} ends at sequence ${tail.lastSeq} but its head expects ${formatAuditHead(head)}: records were cut from its end (or the stream was made again); verify it and restore them before appending`,
      );
    }
    return tail;
  };

  // why: the head moves only after the server has stored the record, so the stream is never behind its head
  // and a crash in between leaves the stream ahead of it, which verification accepts.
  const anchor = async (sealed: ChainedRecord): Promise<ChainedRecord> => {
    await heads.advance({ seq: sealed.seq, hash: sealed.hash }).catch((error: unknown) => {
      throw new ConexusError(
        'unavailable',
        `audit record ${sealed.seq} is stored in ${stream}, but its head could not be anchored: ${(error as Error).message}`,
        { cause: error },
      );
    });
    return sealed;
  };

  const appendNow = async (event: AuditEvent): Promise<ChainedRecord> => {
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    let tail = known ?? (await readTailBelowHead());
    for (let attempt = 1; ; attempt++) {
      // why: the chain seq is the stream sequence the server will give this message (lastSeq + 1), and the
      // expectation below makes the server refuse it if another writer got there first. When the stored
      // tail was deleted, the record still takes seq lastSeq + 1, so the gap shows up as missing.
      const sealed = sealRecord(tail.lastSeq + 1, tail.hash, event);
      try {
        await js.publish(subject, JSON.stringify(sealed), { expect: { lastSequence: tail.lastSeq } });
      } catch (error) {
        known = null;
        if (!isWrongLastSequence(error)) return recoverLostAck(sealed, error);
        if (Date.now() > deadline)
          throw new ConexusError(
            'unavailable',
            `audit append lost the race for the tail of ${stream} ${attempt} times in ${GIVE_UP_AFTER_MS} ms`,
          );
        // why: full jitter, so writers that lost together do not retry together.
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, 2 ** attempt));
        tail = await readTailBelowHead();
        continue;
      }
      known = { lastSeq: sealed.seq, hash: sealed.hash };
      return anchor(sealed);
    }
  };

  // why: a publish whose ack was lost may still have been stored; if it is the tail now, it counts.
  const recoverLostAck = async (sealed: ChainedRecord, error: unknown): Promise<ChainedRecord> => {
    const tail = await readTail().catch(() => null);
    if (tail && tail.lastSeq === sealed.seq && tail.hash === sealed.hash) {
      known = tail;
      return anchor(sealed);
    }
    throw new ConexusError('unavailable', `cannot append to audit stream ${stream}: ${(error as Error).message}`, {
      cause: error,
    });
  };

  return {
    append(event) {
      // why: reading the tail or anchoring the head can fail with the client's own errors while JetStream elects a
      // leader; the caller should learn that the log is unavailable (and may retry), not that something broke.
      const run = queue
        .then(() => appendNow(event))
        .catch((error: unknown) => {
          if (error instanceof ConexusError) throw error;
          throw new ConexusError('unavailable', `audit stream ${stream} is unavailable: ${(error as Error).message}`, {
            cause: error,
          });
        });
      queue = run.catch(() => undefined);
      return run;
    },
    read(readOptions = {}) {
      return fromSeqOnward(readStreamRecords(jsm, js, stream, subject, readOptions.fromSeq ?? 1), readOptions.fromSeq);
    },
    async lastSeq() {
      return (await jsm.streams.info(stream)).state.last_seq;
    },
    head() {
      return heads.read();
    },
    async close() {
      await queue;
      if (owned && !nc.isClosed()) await nc.drain();
    },
  };
}

async function connection(options: JetStreamAuditLogOptions): Promise<NatsConnection> {
  if (options.connection && options.servers)
    throw new ConexusError('invalid_argument', 'give the audit log servers or a connection, not both');
  if (options.connection) return options.connection;
  if (!options.servers)
    throw new ConexusError('invalid_argument', 'the JetStream audit log needs servers or a connection');
  try {
    return await connect({
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
}

function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
