export { createConexusMcpServer } from './create-mcp-server.js';
export { connectGateway, type GatewayClient } from './gateway-client.js';
