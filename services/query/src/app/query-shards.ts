import type { Bus, BusHeaders } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, shardSubject, type ShardOperation } from '@conexus/wire';

/** One shard's reply, or why it is missing. */
export type ShardReply =
  { readonly shard: number; readonly data: Uint8Array } | { readonly shard: number; readonly missing: ConexusError };

/** A request in flight: its deadline, cancellation and headers to pass on. */
export interface Call {
  readonly deadline: number;
  readonly signal?: AbortSignal;
  readonly headers: BusHeaders;
}

/** Why a shard may be missing from an answer: it is gone, late, or too busy to answer in time. */
const MISSING = new Set(['unavailable', 'deadline_exceeded', 'resource_exhausted']);

/** How long to wait before asking a shard without an owner again. */
const NO_OWNER_RETRY_MS = 250;

/**
 * Scatters one request to several shards under the call's deadline and gathers every reply or failure; when no shard
 * answered and one ran out of time or was too busy, that is the answer (`resource_exhausted` before `deadline_exceeded`).
 * A shard without an owner (`unavailable`) is asked again until it answers or the deadline nears.
 */
export async function queryShards(
  bus: Bus,
  shards: readonly number[],
  operation: ShardOperation,
  encode: (shard: number) => Uint8Array,
  call: Call,
): Promise<ShardReply[]> {
  // why: a shard whose owner is gone, late or busy comes back as missing.
  const ask = async (shard: number): Promise<ShardReply> => {
    const timeoutMs = call.deadline - Date.now();
    if (timeoutMs <= 0)
      return { shard, missing: new ConexusError('deadline_exceeded', `no time left for shard ${shard}`) };
    try {
      const reply = await bus.request(shardSubject(shard, operation), encode(shard), {
        timeoutMs,
        signal: call.signal,
        headers: { ...call.headers, [HEADERS.deadline]: String(call.deadline) },
      });
      return { shard, data: reply.data };
    } catch (error) {
      const typed = ConexusError.from(error);
      // why: an owner that is gone, late or busy makes the answer partial; a refusal (say, not_found) is the answer.
      if (MISSING.has(typed.code)) return { shard, missing: typed };
      throw typed;
    }
  };
  let replies = await Promise.all(shards.map(ask));
  // why: a shard has no owner only while it moves (an indexer pod stopping, restarting or joining, every one of
  // them in a rolling upgrade) and is claimed within a heartbeat TTL; waiting within the deadline beats a partial answer.
  for (;;) {
    const unowned = replies.filter((reply) => 'missing' in reply && reply.missing.code === 'unavailable');
    if (unowned.length === 0 || call.signal?.aborted || call.deadline - Date.now() < 2 * NO_OWNER_RETRY_MS) break;
    await new Promise((resolve) => setTimeout(resolve, NO_OWNER_RETRY_MS));
    const again = new Map(
      (await Promise.all(unowned.map((reply) => ask(reply.shard)))).map((reply) => [reply.shard, reply]),
    );
    replies = replies.map((reply) => again.get(reply.shard) ?? reply);
  }
  if (replies.some((reply) => 'data' in reply)) return replies;
  // why: an empty "partial" answer would look like a search that found nothing; with no shard answering, the
  // caller learns that time ran out (or the shards were too busy), and may retry.
  const failures = replies.flatMap((reply) => ('missing' in reply ? [reply.missing] : []));
  const failure =
    failures.find((missing) => missing.code === 'resource_exhausted') ??
    failures.find((missing) => missing.code === 'deadline_exceeded');
  if (failure) throw failure;
  return replies;
}
