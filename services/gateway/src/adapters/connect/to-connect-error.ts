import { Code, ConnectError } from '@connectrpc/connect';
import { ConexusError, type ErrorCode } from '@conexus/kernel';

const CODES: Record<ErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  failed_precondition: Code.FailedPrecondition,
  incompatible_store: Code.FailedPrecondition,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  cancelled: Code.Canceled,
  resource_exhausted: Code.ResourceExhausted,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  internal: Code.Internal,
};

/** Translates anything thrown into the Connect error the edge returns (Connect maps it on to gRPC and HTTP). */
export function toConnectError(reason: unknown): ConnectError {
  if (reason instanceof ConnectError) return reason;
  const error = ConexusError.from(reason);
  return new ConnectError(error.code === 'internal' ? 'internal error' : error.message, CODES[error.code]);
}
