import { ConnectError } from '@connectrpc/connect';
import { CONNECT_CODES } from '@conexus/client';
import { ConexusError } from '@conexus/kernel';

/**
 * Translates anything thrown into the Connect error the edge returns (Connect maps it on to gRPC and HTTP), with a
 * well-formed message: gRPC percent-encodes it, which fails on a lone surrogate echoed from a request's JSON.
 */
export function toConnectError(reason: unknown): ConnectError {
  if (reason instanceof ConnectError) {
    if (reason.rawMessage.isWellFormed()) return reason;
    const wellFormed = new ConnectError(
      reason.rawMessage.toWellFormed(),
      reason.code,
      reason.metadata,
      [],
      reason.cause,
    );
    wellFormed.details = reason.details;
    return wellFormed;
  }
  const error = ConexusError.from(reason);
  return new ConnectError(
    error.code === 'internal' ? 'internal error' : error.message.toWellFormed(),
    CONNECT_CODES[error.code],
  );
}
