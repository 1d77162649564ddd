import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageType } from '@nats-io/jetstream';
import { Objm, type ObjectInfo, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConexusError } from '@conexus/kernel';
import type { BlobInfo, BlobStore } from './blob-store.js';

/** How a JetStream object store bucket is kept. */
export interface NatsBlobStoreOptions {
  /** Copies of each object across the NATS cluster (1, 3 or 5; at most the number of servers). */
  readonly replicas?: number;
}

/** A blob store in a JetStream object store bucket (created when missing), replicated like the cluster's streams. */
export async function openNatsBlobStore(
  nc: NatsConnection,
  bucket: string,
  options: NatsBlobStoreOptions = {},
): Promise<BlobStore> {
  let store: ObjectStore;
  try {
    store = await new Objm(nc).create(bucket, { storage: StorageType.File, replicas: options.replicas ?? 1 });
  } catch (error) {
    throw unavailable(`cannot open the object store ${bucket}`, error);
  }
  const describe = (info: ObjectInfo): BlobInfo => ({ name: info.name, size: info.size, sha256: hexDigest(info) });
  const put = async (name: string, stored: Promise<ObjectInfo>): Promise<BlobInfo> => {
    try {
      return describe(await stored);
    } catch (error) {
      throw unavailable(`cannot store ${name} in ${bucket}`, error);
    }
  };
  return {
    putFile: (name, path) =>
      put(name, store.put({ name }, Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>)),
    putBytes: (name, data) => put(name, store.putBlob({ name }, data)),
    async getFile(name, path) {
      const result = await store.get(name).catch((error: unknown) => {
        throw unavailable(`cannot read ${name} from ${bucket}`, error);
      });
      if (!result) return null;
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.partial`;
      const hash = createHash('sha256');
      try {
        const hashing = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            hash.update(chunk);
            controller.enqueue(chunk);
          },
        });
        await pipeline(Readable.fromWeb(result.data.pipeThrough(hashing) as never), createWriteStream(partial));
        const failure = await result.error;
        if (failure) throw failure;
        const expected = hexDigest(result.info);
        const received = hash.digest('hex');
        if (received !== expected)
          throw new ConexusError(
            'unavailable',
            `${name} in ${bucket} arrived with SHA-256 ${received}, not ${expected}`,
          );
        await rename(partial, path);
        return describe(result.info);
      } catch (error) {
        if (error instanceof ConexusError) throw error;
        throw unavailable(`cannot read ${name} from ${bucket}`, error);
      } finally {
        await rm(partial, { force: true });
      }
    },
    async getBytes(name) {
      try {
        return await store.getBlob(name);
      } catch (error) {
        throw unavailable(`cannot read ${name} from ${bucket}`, error);
      }
    },
    async list(prefix) {
      try {
        const infos = await store.list();
        return infos
          .filter((info) => !info.deleted && info.name.startsWith(prefix))
          .map(describe)
          .sort((a, b) => a.name.localeCompare(b.name));
      } catch (error) {
        throw unavailable(`cannot list ${bucket}`, error);
      }
    },
    async delete(name) {
      try {
        if (await store.info(name)) await store.delete(name);
      } catch (error) {
        throw unavailable(`cannot delete ${name} from ${bucket}`, error);
      }
    },
  };
}

// why: the object store records `SHA-256=<base64url>`; the port speaks hex like the directory adapter.
function hexDigest(info: ObjectInfo): string {
  const [algorithm, value] = info.digest.split('=', 2) as [string, string | undefined];
  if (algorithm.toUpperCase() !== 'SHA-256' || value === undefined)
    throw new ConexusError('internal', `${info.name} carries an unknown digest "${info.digest}"`);
  return Buffer.from(value, 'base64url').toString('hex');
}

function unavailable(message: string, error: unknown): ConexusError {
  return new ConexusError('unavailable', `${message}: ${(error as Error).message}`, { cause: error });
}
