import { ConnectError } from '@connectrpc/connect';
import { CONNECT_CODES } from '@conexus/client';
import { ConexusError } from '@conexus/kernel';

/** Translates anything thrown into the Connect error the edge returns (Connect maps it on to gRPC and HTTP). */
export function toConnectError(reason: unknown): ConnectError {
  if (reason instanceof ConnectError) return reason;
  const error = ConexusError.from(reason);
  return new ConnectError(error.code === 'internal' ? 'internal error' : error.message, CONNECT_CODES[error.code]);
}
