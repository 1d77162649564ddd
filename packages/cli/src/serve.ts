import { createJsonLogger, SILENT_LOGGER, startTracing } from '@conexus/telemetry';
import { startEmbeddedServer } from './serve-embedded.js';
import { IndexState, type IndexEvent } from '@conexus/api';

/** Runs `conexus serve` until SIGINT or SIGTERM, printing where it listens and how indexing goes. */
export async function serve(options: { dataDir: string; port: number; host: string; index: readonly string[]; sourceRoots: readonly string[]; embedderSpec: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const log = options.env.CONEXUS_LOG === 'json' ? createJsonLogger({ service: 'conexus-embedded' }) : SILENT_LOGGER;
  const tracing = startTracing('conexus-embedded', options.env);
  const server = await startEmbeddedServer({ ...options, log, onIndexEvent: (event) => process.stderr.write(describe(event)) });
  const url = server.gateway.url;
  process.stderr.write(
    `conexus: serving ${options.dataDir} on ${url} (gRPC, gRPC-Web, Connect)\n` +
      `  try: curl -s ${url}/conexus.v1.ContextService/Search -H 'content-type: application/json' -d '{"query": "where is the config parsed"}'\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write('conexus: stopping\n');
  await server.stop();
  await tracing.stop();
}

function describe(event: IndexEvent): string {
  if (event.state === IndexState.DONE) {
    return `indexed ${event.repo} at ${event.commit.slice(0, 12) || '(no commit)'}: ${event.filesIndexed} files indexed, ${event.filesUnchanged} unchanged, ${event.filesRemoved} removed, ${event.chunks} chunks in ${(event.tookMs / 1000).toFixed(1)} s\n`;
  }
  if (event.state === IndexState.FAILED) return `indexing ${event.repo} failed: ${event.error}\n`;
  return `${IndexState[event.state].toLowerCase()} ${event.repo}\n`;
}
