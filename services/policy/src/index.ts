export { createCasbinDecider } from './adapters/casbin/create-casbin-decider.js';
export { createInProcessPolicyStore } from './adapters/memory/create-in-process-policy-store.js';
export { openKvPolicyStore, POLICY_BUCKET } from './adapters/nats-kv/open-kv-policy-store.js';
export { createPolicyApp, type PolicyApp, type PolicyChange } from './app/create-policy-app.js';
export { API_KEY_ISSUER, looksLikeApiKey } from './domain/api-key.js';
export type { Decider, Decision } from './domain/decider.js';
export { startPolicyService, type PolicyService } from './policy-service.js';
export type { PolicyStore } from './ports/policy-store.js';
