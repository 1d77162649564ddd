import { afterEach, expect, it } from '@jest/globals';
import { serveHealth, type HealthServer } from './serve-health.js';

let server: HealthServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const statusOf = async (path: string, method = 'GET'): Promise<[number, string]> => {
  const response = await fetch(`http://127.0.0.1:${server!.port}${path}`, { method });
  return [response.status, await response.text()];
};

it('answers /healthz always, /readyz from the readiness check, and 404 to anything else', async () => {
  let ready = false;
  server = await serveHealth({ port: 0, host: '127.0.0.1' }, () => ready);
  expect(await statusOf('/healthz')).toEqual([200, 'ok\n']);
  expect(await statusOf('/readyz')).toEqual([503, 'not ready\n']);
  ready = true;
  expect(await statusOf('/readyz?verbose')).toEqual([200, 'ok\n']);
  expect(await statusOf('/readyz', 'HEAD')).toEqual([200, '']);
  expect(await statusOf('/metrics')).toEqual([404, 'not found\n']);
  expect(await statusOf('/healthz', 'POST')).toEqual([404, 'not found\n']);
});

it('stops listening when closed, even with a kept-alive probe connection', async () => {
  server = await serveHealth({ port: 0, host: '127.0.0.1' }, () => true);
  const { port } = server;
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  await server.close();
  server = null;
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
});
