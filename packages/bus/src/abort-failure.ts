import { ConexusError } from '@conexus/kernel';

/** gRPC's DEADLINE_EXCEEDED, the number Connect's errors carry too. */
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * Why a request whose caller's signal aborted failed: `deadline_exceeded` when the signal's reason says time ran out
 * (an RPC framework's deadline, `AbortSignal.timeout`), `cancelled` otherwise; a ConexusError reason is kept.
 */
export function abortFailure(subject: string, signal: AbortSignal): ConexusError {
  const reason: unknown = signal.reason;
  if (reason instanceof ConexusError) return reason;
  // why: the caller's deadline often aborts its signal a moment before the request's own timer fires; the caller
  // ran out of time, and answering `cancelled` would tell it that someone gave up instead.
  if (timedOut(reason))
    return new ConexusError('deadline_exceeded', `request to ${subject} ran out of time`, { cause: reason });
  return new ConexusError('cancelled', `request to ${subject} was cancelled`, { cause: reason });
}

// why: read by shape, not `instanceof`: AbortSignal.timeout's DOMException may come from another realm.
function timedOut(reason: unknown): boolean {
  if (typeof reason !== 'object' || reason === null) return false;
  const { name, code } = reason as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || (name === 'ConnectError' && code === GRPC_DEADLINE_EXCEEDED);
}
