import { resolveDataDir } from './data-dir.js';

/** The environment variables the CLI's commands read, read in one place. */
export interface CliEnv {
  /** The data directory when no --data-dir is given: $CONEXUS_DATA_DIR, else the per-user default. */
  readonly dataDir: string;
  /** The embedder when no --embedder is given: $CONEXUS_EMBEDDER, else auto. */
  readonly embedder: string;
  /** $CONEXUS_URL: the gateway `mcp` talks to when no --url is given. */
  readonly url: string | undefined;
  /** $CONEXUS_TOKEN: the gateway's access token or API key. */
  readonly token: string | undefined;
  /** The port `serve` listens on when no --port is given: $CONEXUS_PORT, else 7420. */
  readonly port: string;
  /** $CONEXUS_LOG=json: the embedded server logs JSON lines to stderr. */
  readonly jsonLogs: boolean;
  /** $CONEXUS_DEBUG: an internal error prints its stack. */
  readonly debug: boolean;
}

/** Reads the CLI's environment variables; values stay as given (commands validate them where they use them). */
export function readCliEnv(env: NodeJS.ProcessEnv): CliEnv {
  return Object.freeze({
    dataDir: resolveDataDir(undefined, env),
    embedder: env.CONEXUS_EMBEDDER ?? 'auto',
    url: env.CONEXUS_URL,
    token: env.CONEXUS_TOKEN,
    port: env.CONEXUS_PORT ?? '7420',
    jsonLogs: env.CONEXUS_LOG === 'json',
    debug: !!env.CONEXUS_DEBUG,
  });
}
