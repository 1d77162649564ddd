import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from './start-nats-server.js';

type Hook = (fn: () => Promise<void>, timeoutMs?: number) => void;

// why: the first start may build nats-server with `go install`, which takes minutes on a cold cache.
const START_TIMEOUT_MS = 300_000;

/**
 * A real nats-server (JetStream, loopback) for one test file: Jest's beforeAll starts it and afterAll stops
 * it and removes its store. Call it at the top level; afterAll hooks run in the order they are declared, so
 * declare the afterAll that closes its clients before calling this. Read the server only in tests and hooks.
 */
export function useNatsServer(): NatsServer {
  // why: testkit is also loaded outside Jest (benchmarks), so Jest's hooks are looked up at call time, not imported.
  const { beforeAll, afterAll } = globalThis as unknown as { beforeAll: Hook; afterAll: Hook };
  let server: NatsServer | undefined;
  let storeDir: string | undefined;
  const started = (): NatsServer => {
    if (!server) throw new Error('useNatsServer: the server is only there inside tests and hooks, after beforeAll');
    return server;
  };
  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'conexus-nats-'));
    server = await startNatsServer({ storeDir });
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    if (storeDir) rmSync(storeDir, { recursive: true, force: true, maxRetries: 5 });
  });
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    restart: () => started().restart(),
    stop: () => started().stop(),
  };
}
