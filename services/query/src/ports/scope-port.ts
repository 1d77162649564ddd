import type { Scope } from '@conexus/api';
import type { Principal } from '@conexus/access';

/** Answers what a principal may read; the policy service implements it in deployments with access control. */
export interface ScopePort {
  scopeFor(principal: Principal): Promise<Scope>;
}
