import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { IndexState } from '@conexus/api';
import { connectGateway, type GatewayClient } from '@conexus/client';
import { createConexusMcpServer, createStdioTransport, type McpProject } from '@conexus/mcp';
import { SILENT_LOGGER } from '@conexus/telemetry';
import { startEmbeddedServer } from './serve-embedded.js';

/** How `conexus mcp` runs: against a remote gateway, or an embedded one it starts itself. */
export interface McpOptions {
  readonly url: string | undefined;
  readonly token: string | undefined;
  readonly dataDir: string;
  readonly index: readonly string[];
  /** Directories AddRepo may index besides the `index` folders and the working directory. */
  readonly sourceRoots: readonly string[];
  /** Re-index the `index` folders when their files change. */
  readonly watch: boolean;
  readonly embedderSpec: string;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

interface Backend {
  readonly gateway: GatewayClient;
  /** The first --index folder, which tools search by default. */
  readonly project: McpProject | undefined;
  stop(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
// why: an MCP client that closes stdin expects the server gone within a second or so; whatever is still stopping
// by then (a tool call in flight, an index run, a connection being drained) is cut short by the exit, which also
// frees the embedded gateway's port and the data directory. SQLite's journal makes that safe.
const EXIT_GRACE_MS = 500;

/**
 * Serves MCP on stdin/stdout until the client closes stdin, or SIGINT or SIGTERM; stdout carries nothing else.
 * The process ends within a second of either, whatever it was doing.
 */
export async function runMcp(options: McpOptions): Promise<void> {
  // why: stdin is read from the start, while the embedded server is still starting, so its end is always seen;
  // the first request waits for the gateway instead.
  const transport = createStdioTransport();
  const backend = openBackend(options);
  const handle = serveStdio(
    async () => {
      const { gateway, project } = await backend;
      return createConexusMcpServer(gateway, options.version, { project });
    },
    { transport },
  );
  let onSignal = (): void => {};
  const signalled = new Promise<void>((resolve) => (onSignal = resolve));
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const ended = Promise.race([transport.closed, signalled]);
  try {
    await Promise.race([ended, backend.then(() => ended)]);
  } finally {
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    for (const signal of SIGNALS) process.off(signal, onSignal);
    await handle.close();
    await backend.then(
      (started) => started.stop(),
      () => undefined,
    );
  }
}

async function openBackend(options: McpOptions): Promise<Backend> {
  if (options.url) {
    return { gateway: connectGateway(options.url, options.token), project: undefined, stop: async () => {} };
  }
  const embedded = await startEmbeddedServer({
    dataDir: options.dataDir,
    port: 0,
    host: '127.0.0.1',
    index: options.index,
    sourceRoots: options.sourceRoots,
    watch: options.watch,
    embedderSpec: options.embedderSpec,
    env: options.env,
    log: SILENT_LOGGER,
    onIndexEvent: (event) => {
      if (event.state === IndexState.DONE)
        process.stderr.write(`conexus: indexed ${event.repo} (${event.chunks} chunks)\n`);
      if (event.state === IndexState.FAILED)
        process.stderr.write(`conexus: indexing ${event.repo} failed: ${event.error}\n`);
    },
  });
  process.stderr.write(`conexus: embedded gateway on ${embedded.gateway.url}\n`);
  return {
    gateway: connectGateway(embedded.gateway.url, options.token),
    project: embedded.projects[0],
    stop: () => embedded.stop(),
  };
}
