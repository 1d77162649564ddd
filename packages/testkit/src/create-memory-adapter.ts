/** The storage methods oidc-provider calls on an adapter, for one model name. */
export interface ProviderAdapter {
  upsert(id: string, payload: Record<string, unknown>): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * An adapter factory for oidc-provider that keeps everything in one Map.
 * why: the provider's built-in memory adapter prints a warning on every start; expiry is left to the provider,
 * which checks `exp` itself, and a test provider lives only as long as its test.
 */
export function createMemoryAdapter(): (name: string) => ProviderAdapter {
  const store = new Map<string, Record<string, unknown>>();
  return (name) => {
    const key = (id: string): string => `${name}:${id}`;
    const findBy = (field: string, value: string): Record<string, unknown> | undefined =>
      [...store.entries()].find(([k, payload]) => k.startsWith(`${name}:`) && payload[field] === value)?.[1];
    return {
      async upsert(id, payload) {
        store.set(key(id), payload);
      },
      find: async (id) => store.get(key(id)),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      async consume(id) {
        const payload = store.get(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [k, payload] of store) if (payload.grantId === grantId) store.delete(k);
      },
    };
  };
}
