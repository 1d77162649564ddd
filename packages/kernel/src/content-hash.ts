import { hash } from 'node:crypto';

/** Stable hex digest of text or bytes, used for content-addressed caching and ids. */
export function contentHash(...parts: (string | Uint8Array)[]): string {
  // why: one-shot hashing avoids a Hash object per call, which showed up in indexing profiles.
  const input = Buffer.concat(parts.flatMap((part) => [typeof part === 'string' ? Buffer.from(part) : part, SEPARATOR]));
  return hash('sha256', input, 'hex').slice(0, 32);
}

const SEPARATOR = Buffer.from([0]);
