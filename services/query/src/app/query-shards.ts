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

/** How long to wait before asking again while no shard has an owner. */
const NO_OWNER_RETRY_MS = 250;

/**
 * Scatters one request to several shards under the call's deadline and gathers every reply or failure; when no shard
 * answered and one ran out of time or was too busy, that is the answer (`resource_exhausted` before `deadline_exceeded`).
 * While no shard has an owner at all, it asks again until the deadline nears.
 */
export async function queryShards(
  bus: Bus,
  shards: readonly number[],
  operation: ShardOperation,
  encode: (shard: number) => Uint8Array,
  call: Call,
): Promise<ShardReply[]> {
  // why: asks every shard once; a shard whose owner is gone, late or busy comes back as missing.
  const scatter = (): Promise<ShardReply[]> =>
    Promise.all(
      shards.map(async (shard): Promise<ShardReply> => {
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
      }),
    );
  for (;;) {
    const replies = await scatter();
    if (replies.some((reply) => 'data' in reply)) return replies;
    // why: an empty "partial" answer would look like a search that found nothing; with no shard answering, the
    // caller learns that time ran out (or the shards were too busy), and may retry.
    const failures = replies.flatMap((reply) => ('missing' in reply ? [reply.missing] : []));
    const failure =
      failures.find((missing) => missing.code === 'resource_exhausted') ??
      failures.find((missing) => missing.code === 'deadline_exceeded');
    if (failure) throw failure;
    // why: no shard has an owner when every indexer replica is restarting (a rolling upgrade of one replica, say);
    // the replacement claims its shards within a heartbeat TTL, so waiting within the deadline beats answering nothing.
    const waiting = failures.length > 0 && failures.every((missing) => missing.code === 'unavailable');
    if (!waiting || call.signal?.aborted || call.deadline - Date.now() < 2 * NO_OWNER_RETRY_MS) return replies;
    await new Promise((resolve) => setTimeout(resolve, NO_OWNER_RETRY_MS));
  }
}
