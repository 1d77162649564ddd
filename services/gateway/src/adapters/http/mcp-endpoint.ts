import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { GatewayClient } from '@conexus/client';
import { createConexusMcpServer } from '@conexus/mcp';

/** Who may reach `/mcp`: the Host names the gateway answers to and the browser origins it accepts. */
export interface McpAccess {
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
}

/** Loopback only: what the embedded server allows. */
export const LOOPBACK_MCP_ACCESS: McpAccess = { allowedHosts: ['localhost', '127.0.0.1', '[::1]'], allowedOrigins: ['localhost', '127.0.0.1', '[::1]'] };

/**
 * Streamable HTTP MCP at `/mcp` (protocol 2026-07-28, and the 2025 handshakes statelessly), with the same
 * tools as `conexus mcp`, calling this gateway's own handlers in memory. Host and Origin are checked first
 * (DNS rebinding protection); a refused request gets 403.
 */
export function createMcpEndpoint(gateway: GatewayClient, access: McpAccess, version: string): (request: IncomingMessage, response: ServerResponse) => void {
  const handle = toNodeHandler(createMcpHandler(() => createConexusMcpServer(gateway, version)));
  const validHost = hostHeaderValidation([...access.allowedHosts]);
  const validOrigin = originValidation([...access.allowedOrigins]);
  return (request, response) => {
    if (!validHost(request, response) || !validOrigin(request, response)) return;
    void handle(request, response);
  };
}
