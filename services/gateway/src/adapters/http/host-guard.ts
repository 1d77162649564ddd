import type { IncomingHttpHeaders } from 'node:http';

/** Which Host names a server answers to and which browser origins (host names, any port) it accepts. */
export interface HostAccess {
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
}

/** Loopback only: what every server without authentication allows (DNS rebinding protection). */
export const LOOPBACK_ACCESS: HostAccess = {
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  allowedOrigins: ['localhost', '127.0.0.1', '[::1]'],
};

/** Why a request was refused, or null when it may go on. */
export type HostRefusal = string | null;

/**
 * Checks a request's Host (`:authority` over HTTP/2) and Origin against the allow-lists. A browser page whose
 * name was rebound to 127.0.0.1 still sends its own name as Host, and a cross-site page sends its Origin, so both
 * are refused; clients that are not browsers send no Origin and pass on Host alone.
 */
export function refuseForeignHost(headers: IncomingHttpHeaders, access: HostAccess): HostRefusal {
  const authority = headers[':authority'] ?? headers.host;
  const host = typeof authority === 'string' ? hostName(authority) : null;
  if (!host || !includes(access.allowedHosts, host))
    return `Host ${JSON.stringify(String(authority ?? '')).slice(0, 100)} is not allowed`;
  const origin = headers.origin;
  if (origin === undefined) return null;
  const originHost = typeof origin === 'string' ? originHostName(origin) : null;
  if (!originHost || !includes(access.allowedOrigins, originHost))
    return `Origin ${JSON.stringify(String(origin)).slice(0, 100)} is not allowed`;
  return null;
}

/** The host name of a Host header value, without its port; null when it is not a plain host[:port]. */
function hostName(authority: string): string | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(authority.trim());
  return match ? match[1]!.toLowerCase().replace(/\.$/, '') : null;
}

function originHostName(origin: string): string | null {
  try {
    const url = new URL(origin);
    // why: an opaque origin ("null", file:, data:) cannot be on the allow-list.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}

function includes(allowed: readonly string[], host: string): boolean {
  return allowed.some((name) => name.toLowerCase() === host);
}
