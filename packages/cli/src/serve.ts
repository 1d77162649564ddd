import { createJsonLogger, SILENT_LOGGER } from '@conexus/telemetry';
import { runService } from '@conexus/service-config';
import { describeIndexEvents } from './describe-index-events.js';
import { startEmbeddedServer } from './serve-embedded.js';

/** What `conexus serve` was asked for on its command line. */
export interface ServeOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly index: readonly string[];
  readonly sourceRoots: readonly string[];
  readonly embedderSpec: string;
  /** Re-index the --index folders when their files change. */
  readonly watch: boolean;
  /** Log JSON lines to stderr ($CONEXUS_LOG=json); otherwise the server logs nothing. */
  readonly jsonLogs: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Runs `conexus serve` until SIGINT or SIGTERM, printing where it listens and how indexing goes. A failed start
 * rejects (the CLI's exit codes); a stop that fails or outlasts its bound exits 1 at once.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const log = options.jsonLogs ? createJsonLogger({ service: 'conexus-embedded' }) : SILENT_LOGGER;
  await new Promise<void>((resolve, reject) => {
    runService({
      name: 'embedded',
      log,
      // why: the command line is the configuration here, parsed once by the CLI.
      readConfig: () => options,
      onStartFailure: 'throw',
      process: {
        env: options.env,
        once: (signal, listener) => process.once(signal, listener),
        removeListener: (signal, listener) => process.removeListener(signal, listener),
        // why: a clean stop returns to the CLI, which exits 0 as before; a failed or stuck one must not wait for it.
        exit: (code) => {
          if (code === 0) return resolve();
          // why: interrupted while starting; nothing was serving, so there is nothing to report.
          if (code === 130 || code === 143) process.exit(code);
          process.stderr.write('conexus: the server did not stop cleanly\n');
          process.exit(code);
        },
      },
      start: async (config) => {
        const describe = describeIndexEvents();
        const server = await startEmbeddedServer({
          ...config,
          log,
          onIndexEvent: (event) => process.stderr.write(describe(event)),
        });
        const url = server.gateway.url;
        process.stderr.write(
          `conexus: serving ${config.dataDir} on ${url} (gRPC, gRPC-Web, Connect)\n` +
            `  try: curl -s ${url}/conexus.v1.ContextService/Search -H 'content-type: application/json' -d '{"query": "where is the config parsed"}'\n`,
        );
        return {
          async stop() {
            process.stderr.write('conexus: stopping\n');
            await server.stop();
          },
        };
      },
    }).catch(reject);
  });
}
