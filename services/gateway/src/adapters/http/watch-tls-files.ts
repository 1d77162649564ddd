import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TlsFiles } from './read-tls-pair.js';

/** A running watch of a certificate and key. */
export interface TlsFilesWatch {
  stop(): void;
}

/** How often the files are read again when no change is seen in their folders. */
export const TLS_RELOAD_POLL_MS = 5_000;

/**
 * Calls `onChange` with the files' contents whenever they differ from the last contents seen (starting from
 * `current`): on a change seen in the files' folders, and on a poll every `pollMs` in case none is seen.
 */
export function watchTlsFiles(
  files: TlsFiles,
  current: { readonly cert: Buffer; readonly key: Buffer },
  onChange: (cert: Buffer, key: Buffer) => void,
  pollMs = TLS_RELOAD_POLL_MS,
): TlsFilesWatch {
  let seen = current;
  let stopped = false;
  let reading = false;
  const check = async (): Promise<void> => {
    if (stopped || reading) return;
    reading = true;
    try {
      const [cert, key] = await Promise.all([readFile(files.certFile), readFile(files.keyFile)]);
      if (stopped || (cert.equals(seen.cert) && key.equals(seen.key))) return;
      // why: a pair refused once is not offered again until it changes; a half-swapped read changes again soon.
      seen = { cert, key };
      onChange(cert, key);
    } catch {
      // why: during a swap a file may be missing for a moment; the next event or poll reads it again.
    } finally {
      reading = false;
    }
  };
  const poll = setInterval(() => void check(), pollMs);
  poll.unref();
  // why: Kubernetes updates a mounted Secret by swapping the `..data` symlink in the folder, never the files in place.
  const watchers = [...new Set([dirname(files.certFile), dirname(files.keyFile)])].flatMap((folder): FSWatcher[] => {
    try {
      const watcher = watch(folder, { persistent: false }, () => void check());
      watcher.on('error', () => watcher.close());
      return [watcher];
    } catch {
      return [];
    }
  });
  return {
    stop() {
      stopped = true;
      clearInterval(poll);
      for (const watcher of watchers) watcher.close();
    },
  };
}
