export { startQueryService, type QueryService, type QueryServiceOptions } from './query-service.js';
export { createPolicyScope } from './adapters/policy-scope.js';
export { SINGLE_USER_SCOPE } from './adapters/single-user-scope.js';
export { assembleContext, type ContextPiece } from './domain/assemble-context.js';
export type { ScopePort } from './ports/scope-port.js';
