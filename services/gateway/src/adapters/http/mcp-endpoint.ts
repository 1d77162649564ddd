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

/** The `/mcp` endpoint: the DNS rebinding guard, and the MCP handler behind it. */
export interface McpEndpoint {
  /** Checks Host and Origin; a refused request has been answered 403 and must go no further. */
  admits(request: IncomingMessage, response: ServerResponse): boolean;
  /** Serves an admitted request. */
  serve(request: IncomingMessage, response: ServerResponse): void;
}

/**
 * Streamable HTTP MCP at `/mcp` (protocol 2026-07-28, and the 2025 handshakes statelessly), with the same
 * tools as `conexus mcp`, calling this gateway's own handlers in memory. Host and Origin are checked
 * (DNS rebinding protection) before anything else, authentication included.
 */
export function createMcpEndpoint(gateway: GatewayClient, access: McpAccess, version: string): McpEndpoint {
  const handle = toNodeHandler(createMcpHandler(() => createConexusMcpServer(gateway, version)));
  const validHost = hostHeaderValidation([...access.allowedHosts]);
  const validOrigin = originValidation([...access.allowedOrigins]);
  return {
    admits: (request, response) => validHost(request, response) && validOrigin(request, response),
    serve: (request, response) => void handle(request, response),
  };
}
