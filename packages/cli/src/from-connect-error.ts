import { Code, ConnectError } from '@connectrpc/connect';
import { ConexusError, type ErrorCode } from '@conexus/kernel';

const CODES: Partial<Record<Code, ErrorCode>> = {
  [Code.InvalidArgument]: 'invalid_argument',
  [Code.NotFound]: 'not_found',
  [Code.AlreadyExists]: 'failed_precondition',
  [Code.FailedPrecondition]: 'failed_precondition',
  [Code.OutOfRange]: 'invalid_argument',
  [Code.Unauthenticated]: 'unauthenticated',
  [Code.PermissionDenied]: 'permission_denied',
  [Code.Unavailable]: 'unavailable',
  [Code.DeadlineExceeded]: 'deadline_exceeded',
  [Code.ResourceExhausted]: 'resource_exhausted',
  [Code.Canceled]: 'cancelled',
};

/** Where a failed call went: the message names the gateway and says what to do about the token. */
export interface CallTarget {
  readonly url: string;
  readonly hasToken: boolean;
}

/** Translates a failed gateway call into the CLI's typed error with a message that says what to do next. */
export function fromConnectError(reason: unknown, target: CallTarget): ConexusError {
  if (!(reason instanceof ConnectError)) return ConexusError.from(reason);
  const detail = reason.rawMessage;
  switch (reason.code) {
    case Code.Unauthenticated:
      return new ConexusError(
        'unauthenticated',
        target.hasToken
          ? `the gateway at ${target.url} rejected the token in CONEXUS_TOKEN: ${detail}`
          : `the gateway at ${target.url} needs a token: set CONEXUS_TOKEN to an access token or API key with the admin role`,
        { cause: reason },
      );
    case Code.PermissionDenied:
      return new ConexusError('permission_denied', `permission denied: ${detail}`, { cause: reason });
    case Code.Unavailable:
      return new ConexusError('unavailable', `the gateway at ${target.url} is unavailable: ${detail}`, {
        cause: reason,
      });
    case Code.Unimplemented:
      return new ConexusError(
        'failed_precondition',
        `${target.url} does not serve the Conexus admin API (is --url / CONEXUS_URL a Conexus gateway?)`,
        { cause: reason },
      );
    default: {
      const code = CODES[reason.code];
      return code
        ? new ConexusError(code, detail, { cause: reason })
        : new ConexusError('internal', `${target.url} answered: ${reason.message}`, { cause: reason });
    }
  }
}
