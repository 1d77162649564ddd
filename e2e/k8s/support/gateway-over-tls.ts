import { Agent } from 'node:https';
import type { Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { createGatewayClient, type GatewayClient } from '@conexus/client';

/** Connect clients (HTTP/1.1 with keep-alive, as browsers and scripts call it) for a gateway serving TLS at `url`. */
export function gatewayOverTls(url: string, ca: Buffer, serverName: string, token: string): GatewayClient {
  const bearer: Interceptor = (next) => (request) => {
    request.header.set('authorization', `Bearer ${token}`);
    return next(request);
  };
  const agent = new Agent({ keepAlive: true, ca, servername: serverName });
  return createGatewayClient(
    createConnectTransport({ baseUrl: url, httpVersion: '1.1', nodeOptions: { agent }, interceptors: [bearer] }),
  );
}
