import { ConexusError } from '@conexus/kernel';
import { canonicalHost, parseGitUrl, type GitUrl } from './parse-git-url.js';

/** Which git URLs an indexer may clone, and which addresses their hosts may resolve to. */
export interface GitUrlPolicy {
  /** URL schemes allowed; `file` exists for tests and air-gapped mirrors only. */
  readonly schemes: readonly ('https' | 'ssh' | 'file')[];
  /** Hosts allowed for https and ssh URLs, compared case-insensitively. */
  readonly hosts: readonly string[];
  /** Lets hosts resolve to loopback, private, link-local and CGNAT addresses (an internal forge); off by default. */
  readonly allowPrivate?: boolean;
  /** Networks (CIDR) a host may resolve to whatever their kind, e.g. `10.20.0.0/16`; none by default. */
  readonly allowedNetworks?: readonly string[];
}

/** The default: https and ssh to the big public forges, public addresses only. */
export const DEFAULT_GIT_URL_POLICY: GitUrlPolicy = {
  schemes: ['https', 'ssh'],
  hosts: ['github.com', 'gitlab.com', 'bitbucket.org'],
};

/**
 * Parses a clone URL strictly and checks its scheme and host against the policy (no DNS); git is given only the
 * returned `canonical` spelling. Malformed URLs are invalid_argument, well-formed ones the policy refuses permission_denied.
 */
export function checkGitUrl(url: string, policy: GitUrlPolicy): GitUrl {
  const parsed = parseGitUrl(url);
  const quoted = JSON.stringify(url.slice(0, 200));
  if (!policy.schemes.includes(parsed.scheme)) {
    throw new ConexusError(
      'permission_denied',
      `refusing git URL ${quoted}: it uses ${parsed.scheme}, allowed: ${policy.schemes.join(', ') || 'none'}`,
    );
  }
  if (parsed.scheme !== 'file' && !policy.hosts.some((allowed) => canonicalHost(allowed) === parsed.host)) {
    throw new ConexusError(
      'permission_denied',
      `refusing git URL ${quoted}: it points at ${parsed.host}, which is not in the allowed hosts`,
    );
  }
  return parsed;
}

/** Checks a branch or tag name before it reaches git. */
export function checkGitRef(ref: string): void {
  if (ref.startsWith('-') || ref.includes('..') || !/^[\w][\w./-]{0,199}$/.test(ref)) {
    throw new ConexusError('invalid_argument', `invalid git ref "${ref}"`);
  }
}
