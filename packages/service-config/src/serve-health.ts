import { createServer, type Server } from 'node:http';
import type { HealthSettings } from './health-settings.js';

/** A listening health endpoint. */
export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves plain-HTTP probes: `GET /healthz` is 200 while the process runs, `GET /readyz` is 200 while `ready()` is
 * true and 503 otherwise; anything else is 404.
 */
export async function serveHealth(settings: HealthSettings, ready: () => boolean): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const known = request.method === 'GET' || request.method === 'HEAD';
    const status = known && path === '/healthz' ? 200 : known && path === '/readyz' ? (ready() ? 200 : 503) : 404;
    const body = status === 200 ? 'ok\n' : status === 503 ? 'not ready\n' : 'not found\n';
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  // why: a probe is one short request; an idle keep-alive socket must not hold a stopping service open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
