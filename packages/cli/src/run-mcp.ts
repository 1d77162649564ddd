import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { IndexState } from '@conexus/api';
import { connectGateway } from '@conexus/client';
import { createConexusMcpServer } from '@conexus/mcp';
import { SILENT_LOGGER } from '@conexus/telemetry';
import { startEmbeddedServer, type EmbeddedServer } from './serve-embedded.js';

/** How `conexus mcp` runs: against a remote gateway, or an embedded one it starts itself. */
export interface McpOptions {
  readonly url: string | undefined;
  readonly token: string | undefined;
  readonly dataDir: string;
  readonly index: readonly string[];
  readonly embedderSpec: string;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

/** Serves MCP on stdin/stdout until the client closes stdin; stdout carries nothing else. */
export async function runMcp(options: McpOptions): Promise<void> {
  let embedded: EmbeddedServer | null = null;
  let url = options.url;
  if (!url) {
    embedded = await startEmbeddedServer({
      dataDir: options.dataDir,
      port: 0,
      host: '127.0.0.1',
      index: options.index,
      embedderSpec: options.embedderSpec,
      env: options.env,
      log: SILENT_LOGGER,
      onIndexEvent: (event) => {
        if (event.state === IndexState.DONE) process.stderr.write(`conexus: indexed ${event.repo} (${event.chunks} chunks)\n`);
        if (event.state === IndexState.FAILED) process.stderr.write(`conexus: indexing ${event.repo} failed: ${event.error}\n`);
      },
    });
    url = embedded.gateway.url;
  }
  const gateway = connectGateway(url, options.token);
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  const handle = serveStdio(() => createConexusMcpServer(gateway, options.version));
  await closed;
  await handle.close();
  await embedded?.stop();
}
