import { parseIp } from '../../domain/ip-address.js';
import type { GitUrl } from '../../domain/parse-git-url.js';

/** What makes git connect to checked addresses only: `-c` options for https, an ssh command for ssh. */
export interface PinnedGit {
  readonly config: readonly string[];
  readonly sshCommand: string;
}

const SSH = ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes'];

/**
 * Pins git to the addresses the host was checked at, so DNS cannot answer differently between check and connect:
 * curl's resolve cache (`http.curloptResolve`) for https, `HostName` for ssh with the name kept for host keys.
 */
export function pinGitHost(url: GitUrl, addresses: readonly string[]): PinnedGit {
  const sshCommand = (extra: readonly string[]): string => [...SSH, ...extra].map(shellQuote).join(' ');
  if (url.scheme === 'file' || addresses.length === 0 || parseIp(url.host))
    return { config: [], sshCommand: sshCommand([]) };
  if (url.scheme === 'https') {
    const list = addresses.map((address) => (address.includes(':') ? `[${address}]` : address)).join(',');
    return { config: ['-c', `http.curloptResolve=${url.host}:${url.port}:${list}`], sshCommand: sshCommand([]) };
  }
  // why: known_hosts names a non-default port as [host]:port; the alias keeps the key lookup what it was without pinning.
  const alias = url.port === 22 ? url.host : `[${url.host}]:${url.port}`;
  return { config: [], sshCommand: sshCommand(['-o', `HostName=${addresses[0]!}`, '-o', `HostKeyAlias=${alias}`]) };
}

// why: git runs GIT_SSH_COMMAND through a shell; "[host]:port" would otherwise be a glob.
const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
