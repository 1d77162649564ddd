import { fromBinary } from '@bufbuild/protobuf';
import { formatPrincipal } from '@conexus/access';
import { ScopeSchema } from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { HEADERS, policySubject } from '@conexus/sharding';
import type { ScopePort } from '../ports/scope-port.js';

const SCOPE_TIMEOUT_MS = 2_000;

/** Asks the policy service for each request's scope; nothing is cached, so a revocation applies to the next request. */
export function createPolicyScope(bus: Bus): ScopePort {
  return {
    async scopeFor(principal) {
      const reply = await bus.request(policySubject('scope'), new Uint8Array(), { timeoutMs: SCOPE_TIMEOUT_MS, headers: { [HEADERS.principal]: formatPrincipal(principal) } });
      return fromBinary(ScopeSchema, reply.data);
    },
  };
}
