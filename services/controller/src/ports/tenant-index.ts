import type { IndexView } from '../domain/plan-reconcile.js';

/** What the controller asks the gateway for one tenant, with that tenant's credentials. */
export interface TenantIndex {
  add(repository: string, source: string, branch: string | undefined): Promise<string>;
  reindex(repository: string): Promise<string>;
  /** Removes the repository; one Conexus does not know counts as removed. */
  remove(repository: string): Promise<void>;
  /** The last job reported for the repository; undefined when Conexus does not know it. */
  status(repository: string): Promise<IndexView | undefined>;
}

/** Opens the gateway for a tenant; undefined when the controller holds no token for it. */
export type TenantGateways = (tenant: string) => TenantIndex | undefined;
