export { connectGateway, createGatewayClient, type GatewayClient } from './connect-gateway.js';
export { RESULT_UNITS } from './result-units.js';
export { CONNECT_CODES } from './connect-codes.js';
