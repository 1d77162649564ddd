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

/**
 * Scatters one request to several shards under the call's deadline and gathers every reply or failure; when no shard
 * answered and one ran out of time or was too busy, that is the answer (`resource_exhausted` before `deadline_exceeded`).
 */
export async function queryShards(
  bus: Bus,
  shards: readonly number[],
  operation: ShardOperation,
  encode: (shard: number) => Uint8Array,
  call: Call,
): Promise<ShardReply[]> {
  const replies = await Promise.all(
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
