import { Agent } from 'node:https';
import type { Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { createGatewayClient, type GatewayClient } from '@conexus/client';

const agents: Agent[] = [];

/** Closes the kept-alive connections of every client made here. */
export function closeGatewayClients(): void {
  for (const agent of agents.splice(0)) agent.destroy();
}

/** Connect clients (HTTP/1.1 with keep-alive, as browsers and scripts call it) for a gateway serving TLS at `url`. */
export function gatewayOverTls(url: string, ca: Buffer, serverName: string, token: string): GatewayClient {
  const bearer: Interceptor = (next) => (request) => {
    request.header.set('authorization', `Bearer ${token}`);
    return next(request);
  };
  const agent = new Agent({ keepAlive: true, ca, servername: serverName });
  agents.push(agent);
  return createGatewayClient(
    createConnectTransport({ baseUrl: url, httpVersion: '1.1', nodeOptions: { agent }, interceptors: [bearer] }),
  );
}
