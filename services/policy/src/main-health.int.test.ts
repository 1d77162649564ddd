import { afterAll, expect, it } from '@jest/globals';
import { eventually, freePort, startProcess, useNatsServer, type ServiceProcess } from '@conexus/testkit';

// why: drives the built policy service (`npx tsc -b services/policy` first), the way a kubelet probes it.
let policy: ServiceProcess | undefined;
// why: afterAll hooks run in the order declared: the service stops before useNatsServer's hook stops the server.
afterAll(async () => {
  await policy?.kill();
});
const nats = useNatsServer();

const status = async (port: number, path: string): Promise<number | string> =>
  fetch(`http://127.0.0.1:${port}${path}`).then(
    (response) => response.status,
    (error: unknown) => `refused: ${(error as Error).message}`,
  );
const until = (port: number, path: string, expected: number, what: string): Promise<true> =>
  eventually(async () => ((await status(port, path)) === expected ? true : undefined), 20_000, what);

it('is ready while connected to NATS, not ready while NATS is down, and live throughout', async () => {
  const port = await freePort();
  policy = startProcess('policy', 'services/policy/dist/main.js', {
    NATS_URL: nats.url,
    CONEXUS_AUDIT: 'off',
    CONEXUS_HEALTH_PORT: String(port),
    CONEXUS_HEALTH_HOST: '127.0.0.1',
  });
  await until(port, '/readyz', 200, `readyz 200 once started\n${policy.output()}`);
  expect(await status(port, '/healthz')).toBe(200);
  expect(await status(port, '/metrics')).toBe(404);

  await nats.stop();
  await until(port, '/readyz', 503, 'readyz 503 while NATS is down');
  expect(await status(port, '/healthz')).toBe(200);

  await nats.restart();
  await until(port, '/readyz', 200, 'readyz 200 once NATS is back');
  expect(await status(port, '/healthz')).toBe(200);

  await policy.kill('SIGTERM');
  expect(policy.child.exitCode).toBe(0);
  expect(await status(port, '/healthz')).toMatch(/^refused/);
});
