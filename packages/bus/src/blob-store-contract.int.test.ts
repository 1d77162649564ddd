import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useNatsServer } from '@conexus/testkit';
import { connectNatsBus, openDirectoryBlobStore, type BlobStore, type NatsBus } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'conexus-blobs-'));
let bus: NatsBus | undefined;
// why: afterAll hooks run in the order declared: the bus closes before useNatsServer's hook stops the server.
afterAll(async () => {
  await bus?.close();
  rmSync(work, { recursive: true, force: true });
});
const nats = useNatsServer();

const adapters: [string, () => Promise<BlobStore>][] = [
  ['directory', async () => openDirectoryBlobStore(join(work, 'directory-store'))],
  [
    'JetStream object store',
    async () => {
      bus = await connectNatsBus({ servers: nats.url, name: 'blob-contract' });
      return bus.blobStore('conexus-contract');
    },
  ],
];

describe.each(adapters)('blob store contract: %s', (label, open) => {
  let store: BlobStore;
  const file = (name: string): string => join(work, `${label.replace(/\W/g, '-')}-${name}`);
  beforeAll(async () => {
    store = await open();
  });

  it('stores a file and gives it back byte for byte, with its size and SHA-256', async () => {
    // why: several MB crosses the object store's chunking (128 KiB chunks).
    const content = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(file('in'), content);
    const stored = await store.putFile('shard-001/g1/index.db', file('in'));
    expect(stored).toMatchObject({ name: 'shard-001/g1/index.db', size: content.length });
    const fetched = await store.getFile('shard-001/g1/index.db', file('out'));
    expect(fetched).toEqual(stored);
    expect(readFileSync(file('out')).equals(content)).toBe(true);
  });

  it('replaces an object under the same name and stores small byte arrays', async () => {
    await store.putBytes('shard-002/latest', new TextEncoder().encode('{"generation":1}'));
    const second = await store.putBytes('shard-002/latest', new TextEncoder().encode('{"generation":2}'));
    expect(new TextDecoder().decode((await store.getBytes('shard-002/latest')) ?? undefined)).toBe('{"generation":2}');
    expect(second.size).toBe(16);
  });

  it('answers null for an absent object and writes no file', async () => {
    expect(await store.getBytes('shard-404/latest')).toBeNull();
    expect(await store.getFile('shard-404/g1/index.db', file('absent'))).toBeNull();
    expect(existsSync(file('absent'))).toBe(false);
  });

  it('lists by prefix in name order and deletes, absent names included', async () => {
    await store.putBytes('shard-003/g2/b', new Uint8Array([2]));
    await store.putBytes('shard-003/g2/a', new Uint8Array([1]));
    await store.putBytes('shard-0031/g1/a', new Uint8Array([3]));
    expect((await store.list('shard-003/')).map((info) => info.name)).toEqual(['shard-003/g2/a', 'shard-003/g2/b']);
    await store.delete('shard-003/g2/a');
    await store.delete('shard-003/never');
    expect((await store.list('shard-003/')).map((info) => info.name)).toEqual(['shard-003/g2/b']);
  });
});
