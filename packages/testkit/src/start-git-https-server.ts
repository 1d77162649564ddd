import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './issue-test-certificates.js';

/** A git forge over HTTPS: `git http-backend` serving every repository under a root directory. */
export interface GitHttpsServer {
  /** `https://<host>:<port>/<name>` for a repository directory under the root. */
  url(name: string): string;
  /** How many requests reached the forge since start. */
  requests(): number;
  stop(): Promise<void>;
}

/** Serves the git repositories under `root` read-only over HTTPS (smart protocol) on `host`, with `certificates`. */
export async function startGitHttpsServer(
  root: string,
  certificates: TestCertificates,
  host = '127.0.0.1',
): Promise<GitHttpsServer> {
  let count = 0;
  const server = createServer(
    { cert: readFileSync(certificates.certFile), key: readFileSync(certificates.keyFile) },
    (request, response) => {
      count += 1;
      serveWithHttpBackend(root, request, response);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: (name) => `${origin}/${name}`,
    requests: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs one request through `git http-backend` (CGI) and relays its answer. */
function serveWithHttpBackend(root: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'https://forge');
  // why: a forge serves fetches only; pushes (receive-pack) are refused by http-backend's default for anonymous users.
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      CONTENT_LENGTH: request.headers['content-length'] ?? '',
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      HTTP_GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: request.socket.remoteAddress ?? '',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  request.pipe(backend.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) return void response.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersSent = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    response.write(head.subarray(end + 4));
  });
  backend.on('close', () => {
    if (!headersSent) response.writeHead(502);
    response.end();
  });
}
