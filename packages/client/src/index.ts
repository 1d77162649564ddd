export { connectGateway, type GatewayClient } from './connect-gateway.js';
