import { ConexusError } from '@conexus/kernel';

/** Which git URLs an indexer may clone. */
export interface GitUrlPolicy {
  /** URL schemes allowed; `file` exists for tests and air-gapped mirrors only. */
  readonly schemes: readonly ('https' | 'ssh' | 'file')[];
  /** Hosts allowed for https and ssh URLs, compared case-insensitively. */
  readonly hosts: readonly string[];
}

/** The default: https and ssh to the big public forges. */
export const DEFAULT_GIT_URL_POLICY: GitUrlPolicy = { schemes: ['https', 'ssh'], hosts: ['github.com', 'gitlab.com', 'bitbucket.org'] };

/** Checks a clone URL against the policy and returns its scheme; refuses option injection and transport tricks. */
export function checkGitUrl(url: string, policy: GitUrlPolicy): 'https' | 'ssh' | 'file' {
  // why: a URL starting with "-" becomes a git option; control characters and spaces break argument parsing.
  if (!url || url.startsWith('-') || /[\s\0-\x1f\x7f]/.test(url) || url.length > 2048) refuse(url, 'is not a plain URL');
  const scpLike = /^[\w.-]+@([\w.-]+):(?!\/\/)/.exec(url);
  let scheme: string;
  let host: string;
  if (scpLike) {
    scheme = 'ssh';
    host = scpLike[1]!;
  } else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse(url, 'is not a URL');
    }
    scheme = parsed.protocol.replace(/:$/, '');
    host = parsed.hostname;
    if (parsed.password) refuse(url, 'carries a password; configure credentials on the indexer instead');
  }
  if (!(policy.schemes as readonly string[]).includes(scheme)) refuse(url, `uses ${scheme}, allowed: ${policy.schemes.join(', ')}`);
  if (scheme !== 'file' && !policy.hosts.some((allowed) => allowed.toLowerCase() === host.toLowerCase())) {
    refuse(url, `points at ${host}, which is not in the allowed hosts`);
  }
  return scheme as 'https' | 'ssh' | 'file';
}

/** Checks a branch or tag name before it reaches git. */
export function checkGitRef(ref: string): void {
  if (ref.startsWith('-') || ref.includes('..') || !/^[\w][\w./-]{0,199}$/.test(ref)) {
    throw new ConexusError('invalid_argument', `invalid git ref "${ref}"`);
  }
}

function refuse(url: string, why: string): never {
  throw new ConexusError('invalid_argument', `refusing git URL "${url.slice(0, 200)}": it ${why}`);
}
