export { createConexusMcpServer } from './create-mcp-server.js';
export { createStdioTransport, type StdioTransport, type StdioTransportOptions } from './create-stdio-transport.js';
