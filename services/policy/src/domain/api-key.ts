import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'cxk_';
const KEY_FORMAT = /^cxk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** The issuer of principals that authenticate with an API key. */
export const API_KEY_ISSUER = 'conexus:api-key';

/** A fresh key: its id, the secret shown once, and the hash that is stored. */
export function mintApiKey(): { id: string; secret: string; secretHash: string } {
  const id = randomBytes(8).toString('hex');
  const secretPart = randomBytes(32).toString('base64url');
  return { id, secret: `${PREFIX}${id}_${secretPart}`, secretHash: hashSecret(secretPart) };
}

/** Splits a presented key into its id and secret part; null when it is not shaped like a key. */
export function parseApiKey(presented: string): { id: string; secretPart: string } | null {
  const match = KEY_FORMAT.exec(presented);
  return match ? { id: match[1]!, secretPart: match[2]! } : null;
}

/** Whether a presented secret part matches a stored hash, in constant time. */
export function secretMatches(secretPart: string, secretHash: string): boolean {
  const presented = Buffer.from(hashSecret(secretPart), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Whether a bearer credential is an API key rather than a JWT. */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(PREFIX);
}

function hashSecret(secretPart: string): string {
  return createHash('sha256').update(secretPart).digest('hex');
}
