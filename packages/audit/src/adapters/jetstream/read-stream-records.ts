import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { ChainedRecord } from '../../domain/chained-record.js';
import { parseRecord } from '../../domain/parse-record.js';

const BATCH = 256;
const IDLE_MS = 2_000;

/** Reads the stream from a sequence up to the last message stored when reading began, in stream order. */
export async function* readStreamRecords(
  jsm: JetStreamManager,
  js: JetStreamClient,
  stream: string,
  subject: string,
  fromSeq: number,
): AsyncGenerator<ChainedRecord> {
  const { state } = await jsm.streams.info(stream);
  const start = Math.max(fromSeq, state.first_seq, 1);
  if (state.messages === 0 || start > state.last_seq) return;
  // why: an ordered consumer is ephemeral and needs no cleanup; the server drops it once idle.
  const consumer = await js.consumers.get(stream, {
    filter_subjects: [subject],
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: start,
  });
  for (;;) {
    const batch = await consumer.fetch({ max_messages: BATCH, expires: IDLE_MS });
    let received = 0;
    for await (const message of batch) {
      received += 1;
      yield parseRecord(message.string(), `audit stream ${stream} message ${message.seq}`);
      // why: stop at the snapshot taken above, so a busy log still gives a bounded read.
      if (message.seq >= state.last_seq || message.info.pending === 0) return;
    }
    // why: the messages between start and the snapshot's end may all have been deleted.
    if (received === 0) return;
  }
}
