import { lookup } from 'node:dns/promises';
import { ConexusError } from '@conexus/kernel';
import { addressAllowed } from '../../domain/classify-address.js';
import { formatIp, parseIp, parseNetwork, type IpNetwork } from '../../domain/ip-address.js';
import type { GitUrl } from '../../domain/parse-git-url.js';
import type { GitUrlPolicy } from '../../domain/git-url-policy.js';

/** Resolves a host name to every address it has. */
export type HostLookup = (host: string) => Promise<readonly string[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), all addresses in resolver order. */
export const lookupAll: HostLookup = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Resolves a git URL's host and returns its addresses, canonical, once every one of them is allowed; the caller
 * pins the clone to them. Loopback, private, link-local, CGNAT, metadata, multicast and reserved addresses are
 * permission_denied unless the policy allows them.
 */
export async function resolveGitHost(
  url: GitUrl,
  policy: GitUrlPolicy,
  lookupHost: HostLookup = lookupAll,
): Promise<string[]> {
  if (url.scheme === 'file') return [];
  const allowance = {
    allowPrivate: policy.allowPrivate === true,
    allowedNetworks: (policy.allowedNetworks ?? []).map(network),
  };
  let found: readonly string[];
  try {
    found = parseIp(url.host) ? [url.host] : await lookupHost(url.host);
  } catch (reason) {
    const code = (reason as NodeJS.ErrnoException).code;
    // why: NXDOMAIN is an answer (a typo, a deleted host) and retrying will not change it; other resolver errors may pass.
    const kind = code === 'ENOTFOUND' || code === 'ENODATA' ? 'failed_precondition' : 'unavailable';
    throw new ConexusError(kind, 'could not fetch the repository', {
      cause: new Error(`resolving ${url.host} failed: ${code ?? String(reason)}`),
    });
  }
  if (found.length === 0)
    throw new ConexusError('failed_precondition', 'could not fetch the repository', {
      cause: new Error(`${url.host} has no addresses`),
    });
  return found.map((text) => {
    const address = parseIp(text);
    const verdict = address ? addressAllowed(address, allowance) : { allowed: false, kind: 'reserved' };
    if (!address || !verdict.allowed) {
      throw new ConexusError(
        'permission_denied',
        `refusing git host ${url.host}: it resolves to a ${verdict.kind} address, which this indexer may not reach (CONEXUS_GIT_ALLOW_PRIVATE, CONEXUS_GIT_ALLOWED_NETWORKS)`,
        {
          cause: new Error(`${url.host} resolves to ${text}`),
        },
      );
    }
    return formatIp(address);
  });
}

function network(text: string): IpNetwork {
  const parsed = parseNetwork(text);
  if (!parsed) throw new ConexusError('invalid_argument', `"${text}" is not a network in CIDR form (address/prefix)`);
  return parsed;
}
