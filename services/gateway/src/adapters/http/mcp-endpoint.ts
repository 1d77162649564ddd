import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { GatewayClient } from '@conexus/client';
import { createConexusMcpServer } from '@conexus/mcp';
import { refuseForeignHost, type HostAccess } from './host-guard.js';

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
export function createMcpEndpoint(gateway: GatewayClient, access: HostAccess, version: string): McpEndpoint {
  const handle = toNodeHandler(createMcpHandler(() => createConexusMcpServer(gateway, version)));
  return {
    admits: (request, response) => {
      const refusal = refuseForeignHost(request.headers, access);
      if (!refusal) return true;
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: refusal }, id: null }));
      return false;
    },
    serve: (request, response) => void handle(request, response),
  };
}
