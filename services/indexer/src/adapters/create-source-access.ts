import type { SourcePolicy } from '../app/source-policy.js';
import type { SourceAccess } from '../ports/source-access.js';
import { allowedPath, checkedSource } from './fs/check-source.js';
import { fetchGitSource, originUrl } from './git/fetch-git-source.js';
import type { HostLookup } from './git/resolve-git-host.js';

/** Sources on this machine's file system and from git, under the policy; `lookupHost` replaces the system resolver in tests. */
export function createSourceAccess(policy: SourcePolicy, lookupHost?: HostLookup): SourceAccess {
  return {
    checkoutsDir: policy.checkoutsDir,
    check: (source) => checkedSource(source, policy),
    allowedDirectory: (path) => allowedPath(path, policy.pathRoots),
    fetch: (url, ref, checkout, progress) =>
      fetchGitSource(
        url.canonical,
        ref,
        checkout,
        policy.git,
        policy.fetchLimits,
        progress,
        lookupHost,
        policy.gitCaFile,
      ),
    origin: originUrl,
  };
}
