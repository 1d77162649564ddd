export { startGateway, type Gateway, type GatewayOptions } from './gateway-service.js';
export { enqueueIndexJob } from './app/create-handlers.js';
