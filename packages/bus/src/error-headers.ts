import { ConexusError, isErrorCode } from '@conexus/kernel';
import type { BusHeaders } from './bus.js';

const CODE = 'conexus-error-code';
const MESSAGE = 'conexus-error-message';

/** Headers that carry a responder's failure back to the requester. */
export function errorHeaders(reason: unknown): BusHeaders {
  const error = ConexusError.from(reason);
  return { [CODE]: error.code, [MESSAGE]: error.message.replace(/[\r\n]+/g, ' ') };
}

/** The typed error a reply carries, or null for a successful reply. */
export function errorFromHeaders(headers: BusHeaders): ConexusError | null {
  const code = headers[CODE];
  if (code === undefined) return null;
  return new ConexusError(isErrorCode(code) ? code : 'internal', headers[MESSAGE] ?? 'remote failure');
}
