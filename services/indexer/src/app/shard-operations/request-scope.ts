import type { Scope } from '@conexus/api';
import { ConexusError } from '@conexus/kernel';
import { NOTHING, readableRepos, repoVisible, type ReadScope } from '@conexus/access';

/** The scope a request carries (the message already has a read scope's shape); a request without one may read nothing. */
export function toReadScope(scope: Scope | undefined): ReadScope {
  return scope ?? NOTHING;
}

/** The repositories a request may read: those it names (each must exist and be visible), else every readable one. */
export function readableRequested(
  scope: ReadScope,
  requested: readonly string[],
  present: readonly string[],
): string[] {
  const unknown = requested.find((repo) => !present.includes(repo) || !repoVisible(scope, repo));
  if (unknown !== undefined) throw new ConexusError('not_found', `unknown repository "${unknown}"`);
  return readableRepos(scope, requested, present);
}
