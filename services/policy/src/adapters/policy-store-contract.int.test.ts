import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, useNatsServer } from '@conexus/testkit';
import { entryKey, type Rule } from '../domain/policy-entry.js';
import type { PolicyStore } from '../ports/policy-store.js';
import { createInProcessPolicyStore } from './memory/create-in-process-policy-store.js';
import { openKvPolicyStore } from './nats-kv/open-kv-policy-store.js';

const nats = useNatsServer();

const rule = (subject: string): Rule => ({
  kind: 'rule',
  tenant: 'acme',
  subject,
  repo: 'web',
  path: 'src/**',
  effect: 'allow',
});

const adapters: [string, () => Promise<{ writer: PolicyStore; replica: PolicyStore }>][] = [
  [
    'in-process',
    async () => {
      const store = createInProcessPolicyStore();
      return { writer: store, replica: store };
    },
  ],
  [
    'NATS KV',
    async () => ({
      writer: await openKvPolicyStore({ servers: nats.url }),
      replica: await openKvPolicyStore({ servers: nats.url }),
    }),
  ],
];

describe.each(adapters)('policy store contract: %s', (_label, open) => {
  let writer: PolicyStore;
  let replica: PolicyStore;
  beforeAll(async () => {
    ({ writer, replica } = await open());
  });
  afterAll(async () => {
    await writer?.close();
    if (replica !== writer) await replica?.close();
  });

  it('shows a write to the writer at once and to every replica soon, with a change callback', async () => {
    let changes = 0;
    replica.onChange(() => (changes += 1));
    const entry = rule('group:eng');
    await writer.put(entryKey(entry), entry);
    expect(writer.entries().get(entryKey(entry))).toEqual(entry);
    await eventually(async () => (replica.entries().has(entryKey(entry)) && changes > 0 ? true : undefined), 5_000);
  });

  it('creates only when the key is free, and deletes once', async () => {
    const entry = rule('group:ops');
    const key = entryKey(entry);
    expect(await writer.create(key, entry)).toBeNull();
    expect(await writer.create(key, { ...entry, path: 'other/**' })).toEqual(entry);
    expect(await writer.delete(key)).toBe(true);
    expect(writer.entries().has(key)).toBe(false);
    expect(await writer.delete(key)).toBe(false);
    expect(await writer.create(key, entry)).toBeNull();
    await eventually(async () => (replica.entries().has(key) ? true : undefined), 5_000);
  });
});

describe('NATS KV policy store', () => {
  it('keeps the policy across a restart of the replica', async () => {
    const first = await openKvPolicyStore({ servers: nats.url });
    const entry = rule('group:durable');
    await first.put(entryKey(entry), entry);
    await first.close();
    const second = await openKvPolicyStore({ servers: nats.url });
    expect(second.entries().get(entryKey(entry))).toEqual(entry);
    await second.close();
  });
});
