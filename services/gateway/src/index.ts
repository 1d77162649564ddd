export { startGateway, type Gateway, type GatewayOptions } from './gateway-service.js';
export { enqueueIndexJob } from './adapters/connect/create-handlers.js';
export { LOOPBACK_ACCESS, type HostAccess } from './adapters/http/host-guard.js';
export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './adapters/oidc/create-token-verifier.js';
export {
  AUTHENTICATE_LOCAL_USER,
  createAuthenticator,
  type Authenticate,
} from './adapters/auth/create-authenticator.js';
