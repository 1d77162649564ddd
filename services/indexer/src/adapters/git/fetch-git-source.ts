import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConexusError } from '@conexus/kernel';
import { checkGitRef, checkGitUrl, type GitUrlPolicy } from './git-url-policy.js';

/** Limits of one clone or fetch. */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** Default limits: ten minutes and 2 GiB on disk. */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 600_000, maxBytes: 2 * 1024 ** 3 };

const SIZE_CHECK_MS = 1_000;

/** Clones (or fetches into) a shallow checkout of `url` at `ref`, with hooks, submodules and prompts off. */
export async function fetchGitSource(
  url: string,
  ref: string,
  checkout: string,
  policy: GitUrlPolicy,
  limits: FetchLimits,
  onProgress: () => void,
): Promise<string> {
  const scheme = checkGitUrl(url, policy);
  if (ref) checkGitRef(ref);
  const git = hardenedGit(scheme, limits, onProgress, checkout);
  if (existsSync(join(checkout, '.git'))) {
    const origin = await git(['-C', checkout, 'config', '--get', 'remote.origin.url']).catch(() => '');
    if (origin.trim() === url) {
      await git(['-C', checkout, 'fetch', '--depth', '1', '--no-tags', '--no-recurse-submodules', 'origin', ref || 'HEAD']);
      await git(['-C', checkout, 'checkout', '--force', '--detach', 'FETCH_HEAD']);
      return checkout;
    }
    rmSync(checkout, { recursive: true, force: true });
  }
  mkdirSync(join(checkout, '..'), { recursive: true });
  const branch = ref ? ['--branch', ref] : [];
  try {
    await git(['clone', '--depth', '1', '--no-tags', '--single-branch', '--no-recurse-submodules', ...branch, '--', url, checkout]);
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

function hardenedGit(scheme: string, limits: FetchLimits, onProgress: () => void, watched: string) {
  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'false',
    SSH_ASKPASS: 'false',
    GIT_ALLOW_PROTOCOL: scheme,
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=yes',
    GIT_LFS_SKIP_SMUDGE: '1',
  };
  const command = (args: readonly string[]): string => args.filter((arg, index) => !arg.startsWith('-') && args[index - 1] !== '-C')[0] ?? 'git';
  const config = [
    '-c', 'core.hooksPath=/dev/null',
    '-c', 'core.fsmonitor=false',
    '-c', 'submodule.recurse=false',
    '-c', 'transfer.fsckObjects=true',
    '-c', `protocol.allow=never`,
    '-c', `protocol.${scheme}.allow=always`,
  ];
  return (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      // why: an empty HOME per command keeps user and system git configuration (and credentials) out.
      const home = mkdtempSync(join(tmpdir(), 'conexus-git-home-'));
      const child = spawn('git', [...config, ...args], { env: { ...baseEnv, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let failure: ConexusError | null = null;
      const stop = (error: ConexusError): void => {
        failure = error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => stop(new ConexusError('deadline_exceeded', `git ${command(args)} took longer than ${limits.timeoutMs} ms`)), limits.timeoutMs);
      const sizer = setInterval(() => {
        onProgress();
        if (directorySize(watched) > limits.maxBytes) stop(new ConexusError('resource_exhausted', `repository is larger than ${limits.maxBytes} bytes`));
      }, SIZE_CHECK_MS);
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => {
        clearTimeout(timer);
        clearInterval(sizer);
        rmSync(home, { recursive: true, force: true });
        // why: the size is polled, so a fast clone can finish between two polls; it is measured once more at the end.
        if (!failure && code === 0 && directorySize(watched) > limits.maxBytes) failure = new ConexusError('resource_exhausted', `repository is larger than ${limits.maxBytes} bytes`);
        if (failure) reject(failure);
        else if (code === 0) resolve(output);
        else reject(new ConexusError('unavailable', `git ${command(args)} failed: ${output.trim().split('\n').pop()}`));
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
