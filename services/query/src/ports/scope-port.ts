import type { Scope } from '@conexus/api';
import type { Principal } from '@conexus/access';

/** Answers what a principal may read; the policy service implements it in deployments with access control. */
export interface ScopePort {
  /** The scope of `principal`, within `deadline` (milliseconds since the epoch) when one is given. */
  scopeFor(principal: Principal, deadline?: number): Promise<Scope>;
}
