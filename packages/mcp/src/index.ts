export { createConexusMcpServer, type ConexusMcpOptions } from './create-mcp-server.js';
export type { McpProject } from './index-notice.js';
export { createStdioTransport, type StdioTransport, type StdioTransportOptions } from './create-stdio-transport.js';
