import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { issueTestCertificates, startGitHttpsServer } from '@conexus/testkit';
import { fetchGitSource, hardenedGitInvocation } from './fetch-git-source.js';
import { pinGitHost } from './pin-git-host.js';
import type { HostLookup } from './resolve-git-host.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-fetch-net-'));
const servers: Server[] = [];
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const listen = async (server: Server): Promise<number> => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

// A TCP listener on loopback that keeps the first bytes of each connection (a TLS ClientHello names its host in clear) and hangs up.
async function tcpForge(): Promise<{ port: number; hellos: string[] }> {
  const hellos: string[] = [];
  const port = await listen(
    createServer((socket) =>
      socket.once('data', (data) => {
        hellos.push(data.toString('latin1'));
        socket.destroy();
      }),
    ),
  );
  return { port, hellos };
}

// why: "forge.invalid" cannot resolve anywhere (RFC 6761), so a connection reaching the forge proves git used the pinned address.
const toLoopback: HostLookup = async () => ['127.0.0.1'];
const policy = { schemes: ['https'] as const, hosts: ['forge.invalid'], allowedNetworks: ['127.0.0.1/32'] };
const limits = { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024 };
const fetchFrom = (port: number, allowed: typeof policy = policy) =>
  fetchGitSource(
    `https://forge.invalid:${port}/team/app.git`,
    '',
    join(scratch, `checkout-${port}`),
    allowed,
    limits,
    () => {},
    toLoopback,
  ).then(
    () => {
      throw new Error('the fetch should fail');
    },
    (error: unknown) => error as Error & { code: string },
  );

describe('fetchGitSource over the network', () => {
  it('connects to the checked address only, keeping the name (TLS SNI), and tells callers only that the fetch failed', async () => {
    const { port, hellos } = await tcpForge();
    const error = await fetchFrom(port);
    expect(hellos.length).toBeGreaterThan(0);
    expect(hellos[0]).toContain('forge.invalid');
    expect(error).toMatchObject({ message: 'could not fetch the repository' });
    expect(String(error.cause)).toMatch(/git ls-remote|git clone/);
  });

  it('refuses a host resolving to a loopback address before git runs', async () => {
    const { port, hellos } = await tcpForge();
    expect(await fetchFrom(port, { ...policy, allowedNetworks: [] })).toMatchObject({ code: 'permission_denied' });
    expect(hellos).toEqual([]);
  });

  it("treats a refused connection as permanent, with git's words kept for the log only", async () => {
    const { port } = await tcpForge();
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const refused = await fetchFrom(port);
    expect(refused).toMatchObject({ code: 'failed_precondition', message: 'could not fetch the repository' });
    expect(String(refused.cause)).toMatch(/connect/i);
  });

  it('runs git with redirects off, and git then does not follow one', async () => {
    const { config } = hardenedGitInvocation(
      'https',
      pinGitHost(
        {
          scheme: 'https',
          host: 'forge.invalid',
          port: 443,
          user: null,
          path: '/a',
          scpLike: false,
          canonical: 'https://forge.invalid/a',
        },
        ['192.0.2.1'],
      ),
      scratch,
    );
    expect(config.join(' ')).toContain('-c http.followRedirects=false');
    const seen: string[] = [];
    const target = await listen(
      createHttpServer((request, response) => void (seen.push(request.url ?? ''), response.writeHead(200).end())),
    );
    const redirecting = await listen(
      createHttpServer(
        (_request, response) =>
          void response.writeHead(302, { location: `http://127.0.0.1:${target}/elsewhere` }).end(),
      ),
    );
    // why: the fake servers live in this process, so git must run without blocking the event loop.
    const exit = await new Promise<number | null>((resolve) => {
      const env = {
        PATH: process.env.PATH,
        HOME: scratch,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
      };
      execFile(
        'git',
        ['-c', 'http.followRedirects=false', 'ls-remote', `http://127.0.0.1:${redirecting}/a.git`],
        { env, timeout: 20_000 },
        (error) => resolve(error ? (error.code as number) : 0),
      );
    });
    expect(exit).not.toBe(0);
    expect(seen).toEqual([]);
  });

  it('clones over https from a host whose certificate an extra CA file vouches for, and only with that file', async () => {
    const forge = join(scratch, 'forge');
    const work = join(forge, 'app.git');
    mkdirSync(work, { recursive: true });
    // why: synchronous git is fine here; the forge in this process starts only afterwards.
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@conexus.dev', '-c', 'user.name=t', ...args], { cwd: work });
    git('init', '-q');
    writeFileSync(join(work, 'cart.ts'), 'export const total = 1;\n');
    git('add', '-A');
    git('commit', '-qm', 'one');
    const certificates = issueTestCertificates(join(scratch, 'tls'), { dnsNames: ['forge.invalid'] });
    const server = await startGitHttpsServer(forge, certificates);
    try {
      const port = new URL(server.url('app.git')).port;
      const fetchWith = (checkout: string, caFile?: string) =>
        fetchGitSource(
          `https://forge.invalid:${port}/app.git`,
          '',
          join(scratch, checkout),
          policy,
          limits,
          () => {},
          toLoopback,
          caFile,
        );
      await expect(fetchWith('untrusted')).rejects.toMatchObject({ message: 'could not fetch the repository' });
      expect(await fetchWith('trusted', certificates.caFile)).toBe(join(scratch, 'trusted'));
      expect(existsSync(join(scratch, 'trusted', 'cart.ts'))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
