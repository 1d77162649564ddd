/** The closed vocabulary of expected failures; each edge (CLI, RPC) translates these once. */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'failed_precondition'
  | 'incompatible_store'
  | 'unavailable'
  | 'internal';

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
