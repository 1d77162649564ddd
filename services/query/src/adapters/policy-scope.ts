import { fromBinary } from '@bufbuild/protobuf';
import { formatPrincipal } from '@conexus/access';
import { ScopeSchema } from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { HEADERS, policySubject } from '@conexus/wire';
import type { ScopePort } from '../ports/scope-port.js';

const SCOPE_TIMEOUT_MS = 2_000;

/** Asks the policy service for each request's scope; nothing is cached, so a revocation applies to the next request. */
export function createPolicyScope(bus: Bus): ScopePort {
  return {
    async scopeFor(principal, deadline) {
      // why: the answer is due at the caller's deadline; waiting longer for the scope alone would make it late.
      const timeoutMs = deadline === undefined ? SCOPE_TIMEOUT_MS : Math.min(SCOPE_TIMEOUT_MS, deadline - Date.now());
      if (timeoutMs <= 0) throw new ConexusError('deadline_exceeded', "no time left to look up the caller's scope");
      const reply = await bus.request(policySubject('scope'), new Uint8Array(), {
        timeoutMs,
        headers: { [HEADERS.principal]: formatPrincipal(principal) },
      });
      return fromBinary(ScopeSchema, reply.data);
    },
  };
}
