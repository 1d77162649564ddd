import { ConexusError } from '@conexus/kernel';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { PolicyEntry } from '../../domain/policy-entry.js';
import type { PolicyStore } from '../../ports/policy-store.js';

/** Where the policy lives in NATS. */
export const POLICY_BUCKET = 'conexus_policy';

/** Opens the policy bucket in NATS KV (file storage, replicated by the cluster) and mirrors it in memory through a watch. */
export async function openKvPolicyStore(options: {
  servers: string | string[];
  replicas?: number;
}): Promise<PolicyStore> {
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers: options.servers,
      name: 'conexus-policy',
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
  const kv: KV = await new Kvm(connection).create(POLICY_BUCKET, { history: 1, replicas: options.replicas ?? 1 });
  const entries = new Map<string, PolicyEntry>();
  const listeners: Array<() => void> = [];
  const revisions = new Map<string, number>();
  let appliedRevision = 0;
  let waiters: Array<() => void> = [];
  const initial = (await kv.status()).values;
  let ready: () => void = () => {};
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  let loading = initial > 0;
  if (!loading) ready();
  const watch = await kv.watch();
  void (async () => {
    for await (const change of watch) {
      if (change.operation === 'PUT') entries.set(change.key, change.json<PolicyEntry>());
      else entries.delete(change.key);
      revisions.set(change.key, change.revision);
      appliedRevision = Math.max(appliedRevision, change.revision);
      // why: the initial values end with a pending count of zero; every change after that is news to the listeners.
      if (loading && change.delta === 0) {
        loading = false;
        ready();
      } else if (!loading) listeners.forEach((listener) => listener());
      const woken = waiters;
      waiters = [];
      woken.forEach((wake) => wake());
    }
  })();
  await loaded;
  // why: a replica that wrote decides with its own write at once: writes wait until the watch has delivered them.
  const applied = async (revision: number): Promise<void> => {
    while (appliedRevision < revision) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    entries: () => entries,
    async put(key, entry) {
      await applied(await kv.put(key, JSON.stringify(entry)));
    },
    async create(key, entry) {
      try {
        await applied(await kv.create(key, JSON.stringify(entry)));
        return null;
      } catch {
        // why: create fails when the key holds a value; a deleted key is free again.
        const existing = await kv.get(key);
        if (existing?.operation === 'PUT') return existing.json<PolicyEntry>();
        await applied(await kv.put(key, JSON.stringify(entry), { previousSeq: existing?.revision ?? 0 }));
        return null;
      }
    },
    async delete(key) {
      const existing = await kv.get(key);
      if (!existing || existing.operation !== 'PUT') return false;
      await kv.delete(key, { previousSeq: existing.revision });
      while (revisions.get(key) === existing.revision) await new Promise<void>((resolve) => waiters.push(resolve));
      return true;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      watch.stop();
      await connection.drain();
    },
  };
}
