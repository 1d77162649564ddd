import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatPrincipal } from '@conexus/access';
import { connectNatsBus } from '@conexus/bus';
import { createTokenVerifier } from '@conexus/gateway';
import { createCasbinDecider, createInProcessPolicyStore, createPolicyApp } from '@conexus/policy';
import { HEADERS, policySubject } from '@conexus/wire';
import { ROOT } from '@conexus/testkit';
import { benchArgs } from './bench-args.js';
import { formatLatency, measureInterleaved, measureLatency, type LatencySummary } from './measure-latency.js';
import { SEARCH_QUERIES } from './search-queries.js';
import { startAccessBench } from './start-access-bench.js';
import { syntheticPolicy } from './synthetic-policy.js';

const args = benchArgs({
  repo: ROOT,
  name: 'conexus',
  decisions: '5000',
  'bus-calls': '2000',
  searches: '300',
  warmup: '30',
});
const decisions = Number(args.decisions);
const busCalls = Number(args['bus-calls']);
const searches = Number(args.searches);
const warmup = Number(args.warmup);
const repo = resolve(args.repo);
const name = args.name;
const size = { tenants: 3, repos: 200, groups: 60, roles: 40, rules: 2000 };
const print = (line: string): void => void process.stdout.write(`${line}\n`);
const line = (what: string, summary: LatencySummary): void =>
  print(`${what} (${summary.calls} calls): ${formatLatency(summary)}`);

print(`machine: ${availableParallelism()} cores, node ${process.version}`);

// Target 1: policy decisions with the real Casbin decider over an in-process store, no I/O.
const policy = syntheticPolicy(size, 'https://idp.bench.example');
const store = createInProcessPolicyStore();
for (const [key, entry] of policy.entries) await store.put(key, entry);
const building = performance.now();
const app = await createPolicyApp({ store, buildDecider: createCasbinDecider, adminRole: 'conexus-admin' });
print(
  `policy: ${size.tenants} tenants, ${size.repos} repositories, ${size.groups} groups, ${size.roles} roles (3 levels), ` +
    `${size.rules} rules (${policy.counts.allow} allow, ${policy.counts.deny} deny), ${policy.counts.memberships} memberships; decider built in ${(performance.now() - building).toFixed(0)} ms`,
);
const probe = (i: number) => policy.probes[i % policy.probes.length]!;
line(
  'decide, in-process, target p99 < 2 ms',
  await measureLatency(decisions, 500, (i) => app.decider().decide(probe(i).principal, probe(i).repo, probe(i).path)),
);
const principal = (i: number) => policy.principals[i % policy.principals.length]!;
line(
  'scopeFor, in-process, target p99 < 2 ms',
  await measureLatency(decisions, 500, (i) => app.scopeFor(principal(i))),
);
const scopes = await Promise.all(policy.principals.map((one) => app.scopeFor(one)));
const mean = (values: number[]): string => (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1);
print(
  `  a scope lists ${mean(scopes.map((scope) => scope.repos.length))} repositories and ${mean(scopes.map((scope) => scope.repos.reduce((sum, rule) => sum + rule.denyPaths.length, 0)))} deny paths on average (1–5 groups, 0–3 roles per principal)`,
);

// Target 2: what authentication, scope and audit add to a search, against real processes.
const scratch = mkdtempSync(join(tmpdir(), 'conexus-bench-policy-'));
const tenant = policy.tenants[0]!;
const user = { groups: policy.groupsOf.get(tenant)!.slice(0, 2), roles: policy.rolesOf.get(tenant)!.slice(-1) };
const userScope = await app.scopeFor({ issuer: 'https://idp.bench.example', subject: 'bench-user', tenant, ...user });
await app.close();
const started = performance.now();
const bench = await startAccessBench({ scratch, repo, name, entries: policy.entries, tenant, user }).catch(
  (error: unknown) => {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
    throw error;
  },
);
try {
  print(
    `\nservices: two clusters (nats-server, gateway, query, 2 indexers; + policy, an unaudited second gateway, an OpenID provider), ${name} indexed in both, ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  print(
    `  the searching user: ${user.groups.length + 1} groups, ${user.roles.length} role; scope ${userScope.repos.length + 1} repositories, ${userScope.repos.reduce((sum, rule) => sum + rule.denyPaths.length, 0)} deny paths`,
  );
  const bus = await connectNatsBus({ servers: bench.accessNatsUrl, name: 'bench-policy' });
  const scopeOverBus = (who: (i: number) => Parameters<typeof formatPrincipal>[0]) => (i: number) =>
    bus.request(policySubject('scope'), new Uint8Array(), {
      timeoutMs: 2_000,
      headers: { [HEADERS.principal]: formatPrincipal(who(i)) },
    });
  line(
    'scopeFor over the bus, synthetic principals (nats request to the policy service)',
    await measureLatency(busCalls, 200, scopeOverBus(principal)),
  );
  const searcher = {
    issuer: bench.idp.issuer,
    subject: 'bench-user',
    tenant,
    groups: [...user.groups, 'bench'],
    roles: user.roles,
  };
  const scopeRequest = await measureLatency(
    busCalls,
    200,
    scopeOverBus(() => searcher),
  );
  line('scopeFor over the bus, the searching user', scopeRequest);
  await bus.close();
  const verifier = createTokenVerifier({
    issuer: bench.idp.issuer,
    audience: bench.idp.audience,
    allowInsecureHttp: true,
  });
  const verify = await measureLatency(busCalls, 200, () => verifier.verify(bench.userToken));
  line('token verify, in-process (RS256, cached JWKS)', verify);

  const query = (i: number): string => SEARCH_QUERIES[i % SEARCH_QUERIES.length]!;
  let same = 0;
  for (let i = 0; i < SEARCH_QUERIES.length; i++) {
    const answers = await Promise.all(
      bench.modes.map(async (mode) => (await mode.search(query(i))).results.map((result) => result.path).join('\n')),
    );
    if (answers.every((answer) => answer === answers[0])) same += 1;
  }
  print(
    `\nsearch through the gateway on loopback, unit file, top 10, ${searches} searches after ${warmup} warm-up per mode, one at a time, modes interleaved`,
  );
  print(`  same results in every mode for ${same}/${SEARCH_QUERIES.length} queries`);
  const results = await measureInterleaved(
    searches,
    warmup,
    bench.modes.map((mode) => (i: number) => mode.search(query(i))),
  );
  const base = results[0]!;
  const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms`;
  print('mode                              p50 ms  p99 ms  p50 over none');
  bench.modes.forEach((mode, i) => {
    const result = results[i]!;
    print(
      `${mode.mode.padEnd(32)} ${result.p50.toFixed(2).padStart(7)} ${result.p99.toFixed(2).padStart(7)}  ${i === 0 ? '' : signed(result.p50 - base.p50)}`,
    );
  });
  const [, audited, unaudited, solo, key] = results as [
    LatencySummary,
    LatencySummary,
    LatencySummary,
    LatencySummary,
    LatencySummary,
  ];
  print(
    `overhead p50 (target < 5 ms): ${signed(audited.p50 - base.p50)} with audit, ${signed(unaudited.p50 - base.p50)} without`,
  );
  print(
    `  parts: token verify ${verify.p50.toFixed(2)} ms in-process (token vs api key at the same scope: ${signed(solo.p50 - key.p50)}); ` +
      `scope request ${scopeRequest.p50.toFixed(2)} ms over the bus; the user's larger scope ${signed(unaudited.p50 - solo.p50)} over a 1-repository one; audit append ${signed(audited.p50 - unaudited.p50)}`,
  );
} finally {
  await bench.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
}
