import type { Chunk } from '@conexus/kernel';

// why: the default model keeps 256 tokens of a text (about 3 characters each on code); a head of this size
// fits beside the header and the names, so what the model reads is chosen here rather than cut at random.
const BODY_CHARS = 720;
const MAX_NAMES = 24;
const NAME = /[A-Za-z_][A-Za-z0-9_]{2,}/g;

/**
 * The text embedded for a chunk, meaning first: path, kind and symbol; the signature when the chunk is a
 * continuation that lacks it; the names used past the body's head; then the head of the body itself.
 */
export function embeddingText(chunk: Pick<Chunk, 'path' | 'symbol' | 'kind' | 'signature' | 'text'>): string {
  const header = chunk.symbol ? `${chunk.path} ${chunk.kind} ${chunk.symbol}` : chunk.path;
  const signature = chunk.signature && !chunk.text.includes(chunk.signature) ? chunk.signature : null;
  const head = bodyHead(chunk.text);
  const names = tailNames(head, chunk.text.slice(head.length));
  return [header, signature, names.length > 0 ? names.join(' ') : null, head]
    .filter((part) => part !== null)
    .join('\n');
}

/** The body up to BODY_CHARS, ending at a line break when one is near. */
function bodyHead(text: string): string {
  if (text.length <= BODY_CHARS) return text;
  const cut = text.lastIndexOf('\n', BODY_CHARS);
  return text.slice(0, cut > BODY_CHARS / 2 ? cut : BODY_CHARS);
}

/** Distinct names of the tail not already in the head, in order of first use. */
function tailNames(head: string, tail: string): string[] {
  const seen = new Set(head.match(NAME) ?? []);
  const names: string[] = [];
  for (const name of tail.match(NAME) ?? []) {
    if (seen.has(name)) continue;
    seen.add(name);
    names.push(name);
    if (names.length === MAX_NAMES) break;
  }
  return names;
}
