import { createHash } from 'node:crypto';

/** Stable hex digest of text or bytes, used for content-addressed caching and ids. */
export function contentHash(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}
