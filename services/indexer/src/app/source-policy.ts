import type { GitUrlPolicy } from '../domain/git-url-policy.js';

/** Limits of one clone or fetch. */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** Where sources may come from and where clones go. */
export interface SourcePolicy {
  /** Directories under which server-side paths and file:// git URLs may be read; empty allows none. */
  readonly pathRoots: readonly string[];
  readonly git: GitUrlPolicy;
  readonly fetchLimits: FetchLimits;
  /** A PEM file of the certificate authorities that https git hosts are checked against instead of the system's. */
  readonly gitCaFile?: string;
  /** Where git URLs are cloned, one directory per repository. */
  readonly checkoutsDir: string;
}
