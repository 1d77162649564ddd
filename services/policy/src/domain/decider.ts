import type { Principal, ReadScope } from '@conexus/access';
import type { Rule } from './policy-entry.js';

/** A decision with its reasons. */
export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
  readonly matched: readonly Rule[];
  readonly subjects: readonly string[];
}

/** Answers access questions over one snapshot of the policy. */
export interface Decider {
  /** What the principal may read, for the shards to enforce. */
  scopeFor(principal: Principal): Promise<ReadScope>;
  /** Whether the principal may read one path, and why. */
  decide(principal: Principal, repo: string, path: string): Promise<Decision>;
  /** Every subject the principal acts as in its tenant, roles granted through memberships included. */
  subjectsFor(principal: Principal): Promise<string[]>;
  /** The tenant that owns a repository name. */
  ownerOf(repo: string): string | undefined;
}
