/** The closed vocabulary of expected failures; each edge (CLI, RPC, bus) translates these once. */
export const ERROR_CODES = [
  'invalid_argument',
  'not_found',
  'failed_precondition',
  'incompatible_store',
  'unavailable',
  'deadline_exceeded',
  'cancelled',
  'resource_exhausted',
  'unauthenticated',
  'permission_denied',
  'internal',
] as const;

/** One code of the closed vocabulary. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether a string (say, from a message header) is a code of the vocabulary. */
export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

/** An expected failure with a code from the closed vocabulary and a one-line message. */
export class ConexusError extends Error {
  override readonly name = 'ConexusError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Wraps anything thrown into a ConexusError, keeping typed errors as they are. */
  static from(reason: unknown): ConexusError {
    if (reason instanceof ConexusError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new ConexusError('internal', message, { cause: reason });
  }
}
