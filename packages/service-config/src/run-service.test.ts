import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { ConexusError } from '@conexus/kernel';
import type { LogFields, Logger } from '@conexus/telemetry';
import { runService, type ServiceProcess } from './run-service.js';

/** A process that records its signal listeners and resolves `exited` with the exit code. */
function fakeProcess(env: NodeJS.ProcessEnv = {}): ServiceProcess & {
  signal(name: 'SIGTERM' | 'SIGINT'): void;
  exited: Promise<number>;
  listeners: Map<string, () => void>;
} {
  const listeners = new Map<string, () => void>();
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  return {
    env,
    listeners,
    exited,
    once: (signal, listener) => listeners.set(signal, listener),
    removeListener: (signal, listener) => {
      if (listeners.get(signal) === listener) listeners.delete(signal);
    },
    exit: (code) => exit(code),
    signal: (name) => {
      const listener = listeners.get(name);
      listeners.delete(name);
      listener?.();
    },
  };
}

/** A logger that keeps its lines. */
function memoryLog(): Logger & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const log = {
    lines,
    info: (message: string, fields?: LogFields) => void lines.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: LogFields) => void lines.push({ level: 'warn', message, fields }),
    error: (message: string, fields?: LogFields) => void lines.push({ level: 'error', message, fields }),
    child: () => log,
  };
  return log;
}

describe('runService', () => {
  it('exits 143 on SIGTERM while the service is still starting (Node as PID 1 would ignore it otherwise)', async () => {
    const host = fakeProcess();
    let finishStart!: () => void;
    const running = runService({
      name: 'demo',
      log: memoryLog(),
      process: host,
      readConfig: () => ({}),
      start: () => new Promise((resolve) => (finishStart = () => resolve({ stop: async () => undefined }))),
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    host.signal('SIGTERM');
    expect(await host.exited).toBe(143);
    finishStart();
    await running;
  });

  it('reads the config once, starts, and on SIGTERM stops and exits 0', async () => {
    const host = fakeProcess({ PORT: '7420' });
    const log = memoryLog();
    const seen: string[] = [];
    await runService({
      name: 'demo',
      log,
      process: host,
      readConfig: (env) => ({ port: Number(env.PORT) }),
      start: async (config) => {
        seen.push(`start ${config.port}`);
        return { stop: async () => void seen.push('stop') };
      },
    });
    expect([...host.listeners.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);
    host.signal('SIGTERM');
    host.signal('SIGINT');
    expect(await host.exited).toBe(0);
    expect(seen).toEqual(['start 7420', 'stop']);
    expect(log.lines).toEqual([{ level: 'info', message: 'demo stopping', fields: { signal: 'SIGTERM' } }]);
  });

  it('exits 1 when the drain outlasts its bound', async () => {
    const host = fakeProcess();
    const log = memoryLog();
    await runService({
      name: 'demo',
      log,
      process: host,
      drainMs: 20,
      readConfig: () => ({}),
      start: async () => ({ stop: () => new Promise<void>(() => {}) }),
    });
    host.signal('SIGINT');
    expect(await host.exited).toBe(1);
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', message: 'demo did not stop within 20 ms' });
  });

  it('exits 1 when stopping fails, and logs why', async () => {
    const host = fakeProcess();
    const log = memoryLog();
    const failure = new Error('bus close failed');
    await runService({
      name: 'demo',
      log,
      process: host,
      readConfig: () => ({}),
      start: async () => ({ stop: async () => Promise.reject(failure) }),
    });
    host.signal('SIGTERM');
    expect(await host.exited).toBe(1);
    expect(log.lines.at(-1)).toEqual({ level: 'error', message: 'demo failed to stop', fields: { error: failure } });
  });

  it('exits 1 on bad config without starting', async () => {
    const host = fakeProcess();
    const log = memoryLog();
    let started = false;
    await runService({
      name: 'demo',
      log,
      process: host,
      readConfig: () => {
        throw new ConexusError('invalid_argument', 'bad configuration: NATS_URL is required');
      },
      start: async () => {
        started = true;
        return { stop: async () => {} };
      },
    });
    expect(await host.exited).toBe(1);
    expect(started).toBe(false);
    expect(host.listeners.size).toBe(0);
    expect(log.lines).toEqual([
      { level: 'error', message: 'demo failed to start', fields: { error: expect.any(ConexusError) } },
    ]);
  });

  it('hands a start failure to the caller when asked to throw', async () => {
    const host = fakeProcess();
    const failure = new ConexusError('unavailable', 'port in use');
    await expect(
      runService({
        name: 'demo',
        log: memoryLog(),
        process: host,
        onStartFailure: 'throw',
        readConfig: () => ({}),
        start: () => Promise.reject(failure),
      }),
    ).rejects.toBe(failure);
    expect(host.listeners.size).toBe(0);
  });

  it('serves /healthz from the start, /readyz only once started and while ready, and closes both on stop', async () => {
    const host = fakeProcess();
    const log = memoryLog();
    const healthPort = await freePort();
    let connected = true;
    let release!: () => void;
    const starting = new Promise<void>((resolve) => (release = resolve));
    let stopped!: () => void;
    const stopCalled = new Promise<void>((resolve) => (stopped = resolve));
    let finishStop!: () => void;
    const running = runService({
      name: 'demo',
      log,
      process: host,
      readConfig: () => ({ health: { port: healthPort, host: '127.0.0.1' } }),
      health: (config) => config.health,
      start: async () => {
        await starting;
        return {
          ready: () => connected,
          stop: async () => {
            stopped();
            await new Promise<void>((resolve) => (finishStop = resolve));
          },
        };
      },
    });
    const port = await eventuallyPort(log);
    const probe = async (path: string): Promise<number> => (await fetch(`http://127.0.0.1:${port}${path}`)).status;
    expect([await probe('/healthz'), await probe('/readyz')]).toEqual([200, 503]);
    release();
    await running;
    expect([await probe('/healthz'), await probe('/readyz')]).toEqual([200, 200]);
    connected = false;
    expect(await probe('/readyz')).toBe(503);
    connected = true;
    expect(await probe('/readyz')).toBe(200);
    host.signal('SIGTERM');
    await stopCalled;
    // why: while draining the pod is taken out of its Services, yet stays alive.
    expect([await probe('/healthz'), await probe('/readyz')]).toEqual([200, 503]);
    finishStop();
    expect(await host.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('closes the probes when starting fails', async () => {
    const host = fakeProcess();
    const log = memoryLog();
    const port = await freePort();
    await runService({
      name: 'demo',
      log,
      process: host,
      readConfig: () => ({}),
      health: () => ({ port, host: '127.0.0.1' }),
      start: () => Promise.reject(new ConexusError('unavailable', 'cannot reach NATS')),
    });
    expect(await host.exited).toBe(1);
    expect(await eventuallyPort(log)).toBe(port);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

/** A free TCP port on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The health port a runService logged. */
async function eventuallyPort(log: ReturnType<typeof memoryLog>): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const line = log.lines.find((entry) => entry.message === 'demo health probes listening');
    if (line) return line.fields?.port as number;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no health probes were started');
}
