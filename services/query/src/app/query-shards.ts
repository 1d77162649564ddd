import type { Bus, BusHeaders } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, shardSubject, type ShardOperation } from '@conexus/sharding';

/** One shard's reply, or why it is missing. */
export type ShardReply = { readonly shard: number; readonly data: Uint8Array } | { readonly shard: number; readonly missing: ConexusError };

/** A request in flight: its deadline, cancellation and headers to pass on. */
export interface Call {
  readonly deadline: number;
  readonly signal?: AbortSignal;
  readonly headers: BusHeaders;
}

/** Scatters one request to several shards under the call's deadline and gathers every reply or failure. */
export async function queryShards(bus: Bus, shards: readonly number[], operation: ShardOperation, encode: (shard: number) => Uint8Array, call: Call): Promise<ShardReply[]> {
  return await Promise.all(
    shards.map(async (shard): Promise<ShardReply> => {
      const timeoutMs = call.deadline - Date.now();
      if (timeoutMs <= 0) return { shard, missing: new ConexusError('deadline_exceeded', `no time left for shard ${shard}`) };
      try {
        const reply = await bus.request(shardSubject(shard, operation), encode(shard), {
          timeoutMs,
          signal: call.signal,
          headers: { ...call.headers, [HEADERS.deadline]: String(call.deadline) },
        });
        return { shard, data: reply.data };
      } catch (error) {
        const typed = ConexusError.from(error);
        // why: an owner that is gone or late makes the answer partial; a refusal (say, not_found) is the answer.
        if (typed.code === 'unavailable' || typed.code === 'deadline_exceeded') return { shard, missing: typed };
        throw typed;
      }
    }),
  );
}
