import { createJsonLogger, startTracing, type Logger } from '@conexus/telemetry';
import type { HealthSettings } from './health-settings.js';
import { serveHealth, type HealthServer } from './serve-health.js';

/** A started service: `stop` drains it and releases everything it opened. */
export interface RunningService {
  stop(): Promise<void>;
  /** Whether it can serve now (say, its NATS connection is up); absent, it is ready once started. */
  ready?(): boolean;
}

/** The parts of the process a service runtime touches; tests pass a fake. */
export interface ServiceProcess {
  readonly env: NodeJS.ProcessEnv;
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  removeListener(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): void;
}

/** How to run one service. */
export interface RunServiceOptions<C> {
  /** The service's name: its log lines' `service` field, and its traces' `conexus-<name>` unless `tracingName` says otherwise. */
  readonly name: string;
  /** Parses the environment once, before anything starts; throws one error naming every bad variable. */
  readonly readConfig: (env: NodeJS.ProcessEnv) => C;
  /** Connects and starts the service. */
  readonly start: (
    config: C,
    runtime: { readonly log: Logger; readonly env: NodeJS.ProcessEnv },
  ) => Promise<RunningService>;
  /** Where to serve `/healthz` and `/readyz` (from the parsed config); absent or port 0, nowhere. */
  readonly health?: (config: C) => HealthSettings;
  /** Default: JSON lines on stderr. */
  readonly log?: Logger;
  readonly tracingName?: string;
  /** How long stopping may take before the process exits 1 anyway; default DEFAULT_DRAIN_MS. */
  readonly drainMs?: number;
  /** A failed start: `exit` logs it and exits 1 (a service); `throw` rejects with it (the CLI turns it into its own exit code). */
  readonly onStartFailure?: 'exit' | 'throw';
  /** Default: the real process. */
  readonly process?: ServiceProcess;
}

// why: under Kubernetes' default 30 s grace period, so a stuck drain still ends with our own log line and exit code, not a SIGKILL.
/** The default bound on stopping a service. */
export const DEFAULT_DRAIN_MS = 25_000;

/**
 * Runs a service process: starts tracing, reads the config once, serves health probes when asked (live from the
 * start, ready once started and while the service says so), starts the service, and on the first SIGTERM or SIGINT
 * stops it within a bound; exits 0 after a clean stop, 1 when starting or stopping fails or the drain outlasts its
 * bound. Resolves once the service is started.
 */
export async function runService<C>(options: RunServiceOptions<C>): Promise<void> {
  const host = options.process ?? process;
  const log = options.log ?? createJsonLogger({ service: options.name });
  const tracing = startTracing(options.tracingName ?? `conexus-${options.name}`, host.env);
  let service: RunningService | undefined;
  let stopping = false;
  let probes: HealthServer | null = null;
  let stop = (signal: 'SIGTERM' | 'SIGINT'): void => {
    // why: Node as PID 1 ignores a signal it has no handler for, so a pod deleted while its service still connects
    // would wait out the grace period; nothing is serving yet, so there is nothing to drain.
    log.info(`${options.name} stopped while starting`, { signal });
    host.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  const onTerm = (): void => stop('SIGTERM');
  const onInterrupt = (): void => stop('SIGINT');
  host.once('SIGTERM', onTerm);
  host.once('SIGINT', onInterrupt);
  try {
    const config = options.readConfig(host.env);
    const health = options.health?.(config);
    if (health && health.port > 0) {
      probes = await serveHealth(health, () => !stopping && service !== undefined && (service.ready?.() ?? true));
      log.info(`${options.name} health probes listening`, { host: health.host, port: probes.port });
    }
    service = await options.start(config, { log, env: host.env });
  } catch (error) {
    host.removeListener('SIGTERM', onTerm);
    host.removeListener('SIGINT', onInterrupt);
    await probes?.close();
    if (options.onStartFailure === 'throw') {
      await tracing.stop().catch(() => undefined);
      throw error;
    }
    log.error(`${options.name} failed to start`, { error });
    host.exit(1);
    return;
  }
  const started = service;
  stop = (signal) => {
    // why: SIGTERM then SIGINT must not start a second drain over the first.
    if (stopping) return;
    stopping = true;
    log.info(`${options.name} stopping`, { signal });
    void drain(
      async () => {
        await started.stop();
        await probes?.close();
        await tracing.stop();
      },
      options.drainMs ?? DEFAULT_DRAIN_MS,
      log,
      options.name,
    ).then((code) => host.exit(code));
  };
}

/** Runs `stop` within `drainMs`; the exit code: 0 when it finished in time, 1 when it failed or did not finish. */
async function drain(stop: () => Promise<void>, drainMs: number, log: Logger, name: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  // why: not unref'd: a drain that hangs with nothing else left open must still end in exit 1, not a quiet exit 0.
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), drainMs)));
  try {
    if ((await Promise.race([stop().then(() => 'stopped' as const), timeout])) === 'timeout') {
      log.error(`${name} did not stop within ${drainMs} ms`, { drainMs });
      return 1;
    }
    return 0;
  } catch (error) {
    log.error(`${name} failed to stop`, { error });
    return 1;
  } finally {
    clearTimeout(timer);
  }
}
