import { createClient, type Client, type Interceptor, type Transport } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { ContextService, IndexService, PolicyService } from '@conexus/api';

/** Connect clients for one Conexus gateway. */
export interface GatewayClient {
  readonly context: Client<typeof ContextService>;
  readonly index: Client<typeof IndexService>;
  /** The admin API; needs the admin role on a gateway with access control. */
  readonly policy: Client<typeof PolicyService>;
}

/** Clients for every gateway service over one transport: a network one, or an in-memory router. */
export function createGatewayClient(transport: Transport): GatewayClient {
  return {
    context: createClient(ContextService, transport),
    index: createClient(IndexService, transport),
    policy: createClient(PolicyService, transport),
  };
}

/** Clients for the gateway at `url` (local or remote), sending `token` as a bearer token when given. */
export function connectGateway(url: string, token?: string): GatewayClient {
  const bearer: Interceptor = (next) => (request) => {
    request.header.set('authorization', `Bearer ${token}`);
    return next(request);
  };
  return createGatewayClient(
    createConnectTransport({ baseUrl: url, httpVersion: '1.1', interceptors: token ? [bearer] : [] }),
  );
}
