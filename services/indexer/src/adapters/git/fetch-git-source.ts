import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConexusError } from '@conexus/kernel';
import { gitFailure } from './git-failure.js';
import type { FetchLimits } from '../../app/source-policy.js';
import { checkGitRef, checkGitUrl, type GitUrlPolicy } from '../../domain/git-url-policy.js';
import { pinGitHost, type PinnedGit } from './pin-git-host.js';
import { lookupAll, resolveGitHost, type HostLookup } from './resolve-git-host.js';

/** Default limits: ten minutes and 2 GiB on disk. */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 600_000, maxBytes: 2 * 1024 ** 3 };

const SIZE_CHECK_MS = 1_000;

/**
 * Clones (or fetches into) a shallow checkout of `url` at `ref`, with hooks, submodules, redirects and prompts off.
 * The URL is parsed strictly and git gets its canonical spelling; the host is resolved, every address checked and
 * the connection pinned to them. A failed git command rejects with a generic message and git's output as the cause.
 */
export async function fetchGitSource(
  url: string,
  ref: string,
  checkout: string,
  policy: GitUrlPolicy,
  limits: FetchLimits,
  onProgress: () => void,
  lookupHost: HostLookup = lookupAll,
  caFile?: string,
): Promise<string> {
  const target = checkGitUrl(url, policy);
  if (ref) checkGitRef(ref);
  const pinned = pinGitHost(target, await resolveGitHost(target, policy, lookupHost));
  const git = hardenedGit(target.scheme, limits, onProgress, checkout, pinned, caFile);
  if (existsSync(join(checkout, '.git'))) {
    const origin = await git(['-C', checkout, 'config', '--get', 'remote.origin.url']).catch(() => '');
    if (origin.trim() === target.canonical) {
      await git([
        '-C',
        checkout,
        'fetch',
        '--depth',
        '1',
        '--no-tags',
        '--no-recurse-submodules',
        'origin',
        ref || 'HEAD',
      ]);
      await git(['-C', checkout, 'checkout', '--force', '--detach', 'FETCH_HEAD']);
      return checkout;
    }
    rmSync(checkout, { recursive: true, force: true });
  }
  mkdirSync(join(checkout, '..'), { recursive: true });
  const branch = ref ? ['--branch', ref] : [];
  try {
    await git([
      'clone',
      '--depth',
      '1',
      '--no-tags',
      '--single-branch',
      '--no-recurse-submodules',
      ...branch,
      '--',
      target.canonical,
      checkout,
    ]);
  } catch (error) {
    rmSync(checkout, { recursive: true, force: true });
    throw error;
  }
  return checkout;
}

/** The URL a checkout was cloned from. */
export async function originUrl(checkout: string): Promise<string> {
  const git = hardenedGit('file', { timeoutMs: 10_000, maxBytes: Number.MAX_SAFE_INTEGER }, () => {}, checkout);
  const url = (await git(['-C', checkout, 'config', '--get', 'remote.origin.url'])).trim();
  if (!url) throw new ConexusError('not_found', `no origin recorded in ${checkout}`);
  return url;
}

const UNPINNED: PinnedGit = { config: [], sshCommand: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=yes' };

/** The `-c` options and environment every git command runs with: one protocol, no hooks, redirects or user config. */
export function hardenedGitInvocation(
  scheme: string,
  pinned: PinnedGit,
  home: string,
  caFile?: string,
): { config: string[]; env: Record<string, string> } {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'false',
    SSH_ASKPASS: 'false',
    GIT_ALLOW_PROTOCOL: scheme,
    GIT_SSH_COMMAND: pinned.sshCommand,
    // why: the pinned command quotes its words; the variant is named so git passes OpenSSH options (-p) without probing.
    GIT_SSH_VARIANT: 'ssh',
    GIT_LFS_SKIP_SMUDGE: '1',
  };
  const config = [
    '-c',
    'core.hooksPath=/dev/null',
    '-c',
    'core.fsmonitor=false',
    '-c',
    'submodule.recurse=false',
    '-c',
    'transfer.fsckObjects=true',
    '-c',
    `protocol.allow=never`,
    '-c',
    `protocol.${scheme}.allow=always`,
    // why: a redirect would send curl to a host that was neither allow-listed nor resolved and checked.
    '-c',
    'http.followRedirects=false',
    ...pinned.config,
    ...(caFile ? ['-c', `http.sslCAInfo=${caFile}`] : []),
  ];
  return { config, env };
}

function hardenedGit(
  scheme: string,
  limits: FetchLimits,
  onProgress: () => void,
  watched: string,
  pinned: PinnedGit = UNPINNED,
  caFile?: string,
) {
  const command = (args: readonly string[]): string =>
    args.filter((arg, index) => !arg.startsWith('-') && args[index - 1] !== '-C')[0] ?? 'git';
  return (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      // why: an empty HOME per command keeps user and system git configuration (and credentials) out.
      const home = mkdtempSync(join(tmpdir(), 'conexus-git-home-'));
      const { config, env } = hardenedGitInvocation(scheme, pinned, home, caFile);
      const child = spawn('git', [...config, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let failure: ConexusError | null = null;
      const stop = (error: ConexusError): void => {
        failure = error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(
        () =>
          stop(new ConexusError('deadline_exceeded', `git ${command(args)} took longer than ${limits.timeoutMs} ms`)),
        limits.timeoutMs,
      );
      const sizer = setInterval(() => {
        onProgress();
        if (directorySize(watched) > limits.maxBytes)
          stop(new ConexusError('resource_exhausted', `repository is larger than ${limits.maxBytes} bytes`));
      }, SIZE_CHECK_MS);
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => {
        clearTimeout(timer);
        clearInterval(sizer);
        rmSync(home, { recursive: true, force: true });
        // why: the size is polled, so a fast clone can finish between two polls; it is measured once more at the end.
        if (!failure && code === 0 && directorySize(watched) > limits.maxBytes)
          failure = new ConexusError('resource_exhausted', `repository is larger than ${limits.maxBytes} bytes`);
        if (failure) reject(failure);
        else if (code === 0) resolve(output);
        else reject(gitFailure(command(args), code, output));
      });
    });
}

function directorySize(root: string): number {
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      const info = lstatSync(path, { throwIfNoEntry: false });
      if (info?.isDirectory()) stack.push(path);
      else if (info) total += info.size;
    }
  }
  return total;
}
