import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { ConexusError } from '@conexus/kernel';
import { isStreamNotFound, streamInfo } from './stream-info.js';
import { parseAuditHead, type AuditHead } from '../../domain/audit-head.js';

/** Where the head of a JetStream audit log is anchored: one key of a KV bucket, in its own stream. */
export interface HeadBucket {
  /** The anchored head, or null when none was written (or, for readers, when the bucket does not exist). */
  read(): Promise<AuditHead | null>;
  /** Moves the head forward to a durably stored record; a head already at or past it is left alone. */
  advance(head: AuditHead): Promise<void>;
}

const KEY = 'head';
const GIVE_UP_AFTER_MS = 10_000;

/**
 * Opens (and, when `manage`, creates) the bucket holding the audit head. It has the layout of a NATS KV
 * bucket (stream KV_<bucket>, subject $KV.<bucket>.head), so `nats kv get <bucket> head` shows it.
 */
export async function openHeadBucket(
  jsm: JetStreamManager,
  js: JetStreamClient,
  bucket: string,
  manage: boolean,
): Promise<HeadBucket> {
  const stream = `KV_${bucket}`;
  const subject = `$KV.${bucket}.${KEY}`;
  if (manage) await ensureBucket(jsm, stream, subject);
  // why: the revision (stream sequence) of the head this process wrote last, so one writer moves it in one round trip.
  let known: { head: AuditHead; revision: number } | null = null;

  const readEntry = async (): Promise<{ head: AuditHead; revision: number } | null> => {
    const message = await jsm.streams.getMessage(stream, { last_by_subj: subject }).catch((error: unknown) => {
      if (!manage && isStreamNotFound(error)) return null;
      throw error;
    });
    return message
      ? {
          head: parseAuditHead(message.string(), `audit head ${subject}`, 'failed_precondition'),
          revision: message.seq,
        }
      : null;
  };

  return {
    async read() {
      return (await readEntry())?.head ?? null;
    },
    async advance(head) {
      const deadline = Date.now() + GIVE_UP_AFTER_MS;
      let current = known ?? (await readEntry());
      for (;;) {
        // why: replicas append in turn but anchor their heads concurrently; a slower one must not move it back.
        if (current && current.head.seq >= head.seq) return;
        try {
          // why: compare-and-set on the key's revision, as KV's update does; 0 means the key has no value yet.
          const ack = await js.publish(subject, JSON.stringify({ seq: head.seq, hash: head.hash }), {
            expect: { lastSubjectSequence: current?.revision ?? 0 },
          });
          known = { head, revision: ack.seq };
          return;
        } catch (error) {
          known = null;
          // why: another writer moved the head, or the ack was lost after the head was stored; re-read and decide again.
          current = await readEntry();
          if (current && current.head.seq >= head.seq) return;
          if (!isWrongLastSequence(error) || Date.now() > deadline) throw error;
        }
      }
    },
  };
}

async function ensureBucket(jsm: JetStreamManager, stream: string, subject: string): Promise<void> {
  if (await streamInfo(jsm, stream)) return;
  const config = {
    name: stream,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    // why: only the newest head is kept; an update replaces it by this limit, which deny_delete does not block.
    max_msgs_per_subject: 1,
    // why: like the audit stream, the server refuses to delete or purge the head; removing it takes deleting the bucket.
    deny_delete: true,
    deny_purge: true,
  };
  // why: replicas starting together may both try; the loser finds the bucket made.
  await jsm.streams.add(config).catch(async (error: unknown) => {
    const made = await jsm.streams.info(stream).catch(() => null);
    if (!made)
      throw new ConexusError(
        'unavailable',
        `cannot create the audit head bucket ${stream}: ${(error as Error).message}`,
        { cause: error },
      );
  });
}

function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}
