import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { GitUrl } from '../../domain/parse-git-url.js';
import { hardenedGitInvocation } from './fetch-git-source.js';
import { checkGitUrl } from '../../domain/git-url-policy.js';
import { pinGitHost } from './pin-git-host.js';

// Git itself is the oracle: for every spelling checkGitUrl accepts, git (run exactly as the indexer runs it, inside a
// network namespace with no route out) must try to reach the host checkGitUrl read, and, once pinned, only the
// pinned address. For https, curl's trace names the host it resolves or the address it tries; for ssh, a stand-in
// for ssh records the arguments git gives it.

const scratch = mkdtempSync(join(tmpdir(), 'conexus-git-oracle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const record = join(scratch, 'ssh-args');
const recorder = join(scratch, 'record-ssh');
writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit 1\n`);
chmodSync(recorder, 0o755);

const POLICY = { schemes: ['https', 'ssh'] as const, hosts: ['github.com', 'gitlab.com'] };
const PINNED = '192.0.2.7';

// why: both forms are tried since a container may allow one and not the other; none means the test cannot run here.
function findNamespace(): { argv: string[] } | { reason: string } {
  const reasons: string[] = [];
  for (const argv of [
    ['unshare', '-rn'],
    ['unshare', '-n'],
  ]) {
    const probe = spawnSync(argv[0]!, [...argv.slice(1), 'true'], { encoding: 'utf8', timeout: 5_000 });
    if (probe.status === 0) return { argv };
    reasons.push(`${argv.join(' ')}: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}`);
  }
  return { reason: reasons.join('; ') };
}

interface Contact {
  readonly host: string | null;
  readonly port: number | null;
  readonly tried: readonly string[];
  readonly raw: string;
}

function contact(namespace: readonly string[], url: string, scheme: 'https' | 'ssh', pinned: GitUrl | null): Contact {
  rmSync(record, { force: true });
  const pin = pinned
    ? pinGitHost(pinned, [PINNED])
    : pinGitHost({ scheme, host: '', port: 0, user: null, path: '', scpLike: false, canonical: '' }, []);
  const { config, env } = hardenedGitInvocation(scheme, pin, scratch);
  const run = spawnSync(
    namespace[0]!,
    [...namespace.slice(1), 'timeout', '5', 'git', ...config, 'ls-remote', '--', url],
    {
      env: {
        ...env,
        GIT_TRACE_CURL: '1',
        GIT_TRACE_CURL_NO_DATA: '1',
        GIT_SSH_COMMAND: env.GIT_SSH_COMMAND!.replace(/^'ssh'/, `'${recorder}'`),
      },
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  const raw = `${run.stderr ?? ''}${run.stdout ?? ''}`;
  const tried = [...raw.matchAll(/Trying (\S+?):(\d+)\.\.\./g)].map((match) => `${match[1]}:${match[2]}`);
  if (scheme === 'https') {
    const unresolved = /Could not resolve host: (\S+)/.exec(raw)?.[1];
    const cached = /Hostname (\S+) was found in DNS cache/.exec(raw)?.[1];
    const literal = tried[0]?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return {
      host: unresolved ?? cached ?? literal ?? null,
      port: Number(tried[0]?.split(':').pop()) || null,
      tried,
      raw,
    };
  }
  let args: string[] = [];
  try {
    args = readFileSync(record, 'utf8').trimEnd().split('\n');
  } catch {
    return { host: null, port: null, tried, raw };
  }
  // why: git calls `ssh [options] [-p port] destination command`; the destination is the second-to-last argument.
  const destination = args[args.length - 2] ?? '';
  const portAt = args.indexOf('-p');
  return {
    host: destination.slice(destination.lastIndexOf('@') + 1),
    port: portAt >= 0 ? Number(args[portAt + 1]) : 22,
    tried: args,
    raw,
  };
}

const allowedHost = fc.constantFrom('github.com', 'GitHub.com', 'gitlab.com', 'GITLAB.COM');
const wellFormed = fc
  .tuple(
    fc.constantFrom('https://', 'HTTPS://', 'ssh://', 'ssh://git@', 'git@', ''),
    allowedHost,
    fc.constantFrom('', ':443', ':8443', ':22', ':2222'),
    fc.constantFrom('/a/b.git', '/team/app', '/~user/repo.git', '/a/%41b', "/a/b!$&'()*+,;=:@c"),
  )
  .map(([scheme, host, port, path]) =>
    scheme.endsWith('//') ? `${scheme}${host}${port}${path}` : `${scheme}${host}:${path.slice(1)}`,
  );
const hostile = fc
  .tuple(
    fc.constantFrom('https://', 'ssh://', 'ssh://git@', 'git@', '', 'https:/', 'https:\\\\', 'HTTPS://'),
    fc.array(
      fc.constantFrom(
        'github.com',
        'gitlab.com',
        '127.0.0.1',
        '[::1]',
        '[::ffff:127.0.0.1]',
        '2130706433',
        '0x7f.1',
        '017700000001',
        'localhost',
        'evil.example',
        '\\',
        '@',
        ':',
        ':9999',
        ':443',
        '%2e',
        '%40',
        '%00',
        '.',
        '\u3002',
        '\uff0e',
        '#',
        '?',
        '\t',
        '\r\n',
        ' ',
        '[',
        ']',
        '/',
        '-',
        'git@',
        'a:b@',
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom('/a/b.git', 'a/b.git', '', '/x', ':x', '/../x'),
  )
  .map(([scheme, parts, path]) => `${scheme}${parts.join('')}${path}`);

const namespace = findNamespace();
const run = 'argv' in namespace ? it : it.skip;
const skipped = 'argv' in namespace ? '' : ` — SKIPPED: no network namespace (${namespace.reason})`;
// why: a skipped test is easy to miss in a summary; without a namespace git could reach the network, so it must not run.
if (skipped)
  process.stderr.write(
    `\ngit-url-oracle.property.test.ts: the git oracle tests were SKIPPED: no network namespace could be made (${(namespace as { reason: string }).reason})\n`,
  );

describe('checkGitUrl against git as the oracle', () => {
  run(`git reads the reported URL as 127.0.0.1:9999, and checkGitUrl refuses it${skipped}`, () => {
    const argv = (namespace as { argv: string[] }).argv;
    const attack = 'https://github.com\\@127.0.0.1:9999/x.git';
    expect(contact(argv, attack, 'https', null).tried).toEqual(['127.0.0.1:9999']);
    expect(() => checkGitUrl(attack, POLICY)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  run(
    `whenever checkGitUrl accepts, git contacts that allowed host, and only the pinned address once pinned${skipped}`,
    () => {
      const argv = (namespace as { argv: string[] }).argv;
      let accepted = 0;
      const started = Date.now();
      fc.assert(
        fc.property(fc.oneof({ arbitrary: wellFormed, weight: 1 }, { arbitrary: hostile, weight: 3 }), (url) => {
          let target: GitUrl;
          try {
            target = checkGitUrl(url, POLICY);
          } catch {
            return;
          }
          accepted++;
          expect(POLICY.hosts).toContain(target.host);
          const scheme = target.scheme === 'ssh' ? 'ssh' : 'https';
          const free = contact(argv, target.canonical, scheme, null);
          expect({ url, host: free.host?.toLowerCase() }).toEqual({ url, host: target.host });
          if (scheme === 'ssh') expect({ url, port: free.port }).toEqual({ url, port: target.port });
          const pinned = contact(argv, target.canonical, scheme, target);
          if (scheme === 'https')
            expect({ url, tried: pinned.tried }).toEqual({ url, tried: [`${PINNED}:${target.port}`] });
          else
            expect({ url, args: pinned.tried }).toEqual({
              url,
              args: expect.arrayContaining([
                `HostName=${PINNED}`,
                `HostKeyAlias=${target.port === 22 ? target.host : `[${target.host}]:${target.port}`}`,
              ]),
            });
        }),
        { numRuns: 150 },
      );
      expect(accepted).toBeGreaterThan(10);
      expect(Date.now() - started).toBeLessThan(30_000);
    },
    60_000,
  );
});
