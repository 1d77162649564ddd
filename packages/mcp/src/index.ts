export { createConexusMcpServer } from './create-mcp-server.js';
