import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConexusError } from '@conexus/kernel';
import type { BlobInfo, BlobStore } from './blob-store.js';

/** A blob store in a directory (one file per object, names escaped): the embedded mode's and the tests' adapter. */
export function openDirectoryBlobStore(directory: string): BlobStore {
  const pathOf = (name: string): string => join(directory, encodeURIComponent(name));
  // why: an object appears whole: it is written beside its final name and renamed over it.
  const install = async (name: string, write: (temporary: string) => Promise<void>): Promise<BlobInfo> => {
    await mkdir(directory, { recursive: true });
    const temporary = join(directory, `.partial-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    try {
      await write(temporary);
      const info = await describe(name, temporary);
      await rename(temporary, pathOf(name));
      return info;
    } finally {
      await rm(temporary, { force: true });
    }
  };
  return {
    putFile: (name, path) => install(name, (temporary) => copyFile(path, temporary)),
    putBytes: (name, data) => install(name, (temporary) => writeFile(temporary, data)),
    async getFile(name, path) {
      const source = pathOf(name);
      if (!(await exists(source))) return null;
      await mkdir(dirname(path), { recursive: true });
      await copyFile(source, path);
      return describe(name, path);
    },
    async getBytes(name) {
      const source = pathOf(name);
      return (await exists(source)) ? new Uint8Array(await readFile(source)) : null;
    },
    async list(prefix) {
      if (!(await exists(directory))) return [];
      const names = (await readdir(directory))
        .filter((file) => !file.startsWith('.partial-'))
        .map((file) => decodeURIComponent(file))
        .filter((name) => name.startsWith(prefix))
        .sort();
      return Promise.all(names.map((name) => describe(name, pathOf(name))));
    },
    async delete(name) {
      await rm(pathOf(name), { force: true });
    },
  };
}

async function describe(name: string, path: string): Promise<BlobInfo> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { name, size: (await stat(path)).size, sha256: hash.digest('hex') };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ConexusError('unavailable', `cannot read the blob store at ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
