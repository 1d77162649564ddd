import { ConexusError } from '@conexus/kernel';
import { formatIp, parseIp } from './ip-address.js';

/** A git URL read strictly; `canonical` is the only spelling handed to git. */
export interface GitUrl {
  readonly scheme: 'https' | 'ssh' | 'file';
  /** Lower-case DNS name, dotted-quad IPv4 or RFC 5952 IPv6 (no brackets); empty for file URLs. */
  readonly host: string;
  /** The port git connects to (443 for https, 22 for ssh); 0 for file URLs. */
  readonly port: number;
  /** The ssh login name, if any. */
  readonly user: string | null;
  readonly path: string;
  /** True for `user@host:path`. */
  readonly scpLike: boolean;
  readonly canonical: string;
}

const DEFAULT_PORTS = { https: 443, ssh: 22, file: 0 } as const;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const PORT = /^[1-9]\d{0,4}$/;
// why: RFC 3986 pchar without percent-encoding, narrowed for ssh and file paths, which git hands to a shell or the file system.
const HTTPS_PATH = /^(?:\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)+$/;
const PLAIN_PATH = /^\/?[A-Za-z0-9._~+-]+(?:\/[A-Za-z0-9._~+-]*)*$/;
const URL_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s;

/**
 * Parses an https, ssh or file URL, or an scp-like `user@host:path`, by a strict subset of RFC 3986 that git and
 * curl read the same way: no backslashes, whitespace, control or non-ASCII characters, no userinfo on https, no
 * percent-encoding outside https paths, no query or fragment, no IPv6 zone, numeric or trailing-dot hosts.
 */
export function parseGitUrl(text: string): GitUrl {
  // why: a leading "-" turns the URL into a git option; everything outside printable ASCII has more than one reading.
  if (!text || text.length > 2048) refuse(text, 'is empty or longer than 2048 characters');
  if (text.startsWith('-')) refuse(text, 'starts with "-"');
  if (!/^[\x21-\x7e]+$/.test(text)) refuse(text, 'contains whitespace, control or non-ASCII characters');
  if (/[\\"<>^`{|}]/.test(text)) refuse(text, 'contains a character RFC 3986 does not allow (such as a backslash)');
  const prefixed = URL_PREFIX.exec(text);
  if (!prefixed) return parseScpLike(text);
  const scheme = prefixed[1]!.toLowerCase();
  if (scheme !== 'https' && scheme !== 'ssh' && scheme !== 'file')
    refuse(text, `uses ${scheme}, not https, ssh or file`);
  const rest = prefixed[2]!;
  if (/[?#]/.test(rest)) refuse(text, 'has a query or fragment');
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (scheme === 'file') {
    if (authority !== '') refuse(text, 'names a host in a file URL');
    return {
      scheme,
      host: '',
      port: 0,
      user: null,
      path: checkPath(text, path, PLAIN_PATH),
      scpLike: false,
      canonical: `file://${path}`,
    };
  }
  let hostPort = authority;
  let user: string | null = null;
  const at = authority.indexOf('@');
  if (at >= 0) {
    if (scheme === 'https')
      refuse(text, 'has userinfo ("@") in an https URL; configure credentials on the indexer instead');
    user = authority.slice(0, at);
    hostPort = authority.slice(at + 1);
    if (!USER.test(user)) refuse(text, 'has a user name that is not a plain login name');
  }
  const { host, port } = splitHostPort(text, hostPort, DEFAULT_PORTS[scheme]);
  const checkedPath = checkPath(text, path, scheme === 'https' ? HTTPS_PATH : PLAIN_PATH);
  const portText = port === DEFAULT_PORTS[scheme] ? '' : `:${port}`;
  const canonical = `${scheme}://${user ? `${user}@` : ''}${bracketed(host)}${portText}${checkedPath}`;
  return { scheme, host, port, user, path: checkedPath, scpLike: false, canonical };
}

function parseScpLike(text: string): GitUrl {
  const colon = text.indexOf(':');
  if (colon < 0 || text.includes('://')) refuse(text, 'is neither a URL nor user@host:path');
  const authority = text.slice(0, colon);
  const path = text.slice(colon + 1);
  if (authority.includes('/')) refuse(text, 'is a local path; use a file:// URL');
  const at = authority.indexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : null;
  if (user !== null && !USER.test(user)) refuse(text, 'has a user name that is not a plain login name');
  const host = checkHost(text, at >= 0 ? authority.slice(at + 1) : authority);
  // why: git reads "file:/etc" or "https:/host" as ssh to a host named "file" or "https"; nobody means that.
  if (/^(?:file|https?|ssh|git|ext)$/.test(host)) refuse(text, 'looks like a URL without "//"');
  if (host.includes(':')) refuse(text, 'has an IPv6 host in user@host:path form; use an ssh:// URL');
  if (path.startsWith('-')) refuse(text, 'has a path starting with "-"');
  const checkedPath = checkPath(text, path, PLAIN_PATH);
  return {
    scheme: 'ssh',
    host,
    port: 22,
    user,
    path: checkedPath,
    scpLike: true,
    canonical: `${user ? `${user}@` : ''}${host}:${checkedPath}`,
  };
}

/** Checks a host name as written (DNS name or IP literal) and returns its canonical spelling. */
export function canonicalHost(host: string): string | null {
  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    const address = inner.includes('%') ? null : parseIp(inner);
    return address?.version === 6 ? formatIp(address) : null;
  }
  const lower = host.toLowerCase();
  const address = parseIp(lower);
  if (address) return address.version === 4 ? formatIp(address) : null;
  if (lower.length > 253 || !lower.split('.').every((label) => LABEL.test(label))) return null;
  // why: curl and WHATWG read an all-numeric or hex last label (2130706433, 0x7f.1, 127.1) as an IPv4 address.
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  return /^[0-9]/.test(last) ? null : lower;
}

function checkHost(text: string, host: string): string {
  if (host === '') refuse(text, 'has an empty host');
  if (host.includes('%')) refuse(text, 'has a percent-encoded or zoned host');
  const canonical = canonicalHost(host);
  if (canonical === null) refuse(text, `has a host that is not a plain DNS name or IP address`);
  return canonical;
}

function splitHostPort(text: string, hostPort: string, defaultPort: number): { host: string; port: number } {
  const close = hostPort.startsWith('[') ? hostPort.indexOf(']') : -1;
  const colon = hostPort.indexOf(':', close + 1);
  const hostText = colon < 0 ? hostPort : hostPort.slice(0, colon);
  if (close < 0 && hostText.includes(':')) refuse(text, 'has an IPv6 host without brackets');
  const host = checkHost(text, hostText);
  if (colon < 0) return { host, port: defaultPort };
  const portText = hostPort.slice(colon + 1);
  if (!PORT.test(portText) || Number(portText) > 65535) refuse(text, 'has a port that is not a number from 1 to 65535');
  return { host, port: Number(portText) };
}

function checkPath(text: string, path: string, shape: RegExp): string {
  if (!shape.test(path) || path === '/')
    refuse(text, 'has an empty path or characters outside the allowed path characters');
  if (path.split('/').some((segment) => segment === '.' || segment === '..'))
    refuse(text, 'has "." or ".." path segments');
  if (/%(?:[01][0-9a-f]|7f|2e|2f|5c)/i.test(path))
    refuse(text, 'has percent-encoded control characters, dots or slashes');
  return path;
}

const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

function refuse(text: string, why: string): never {
  throw new ConexusError('invalid_argument', `refusing git URL ${JSON.stringify(text.slice(0, 200))}: it ${why}`);
}
