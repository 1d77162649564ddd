import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from './service-process.js';

/** A nats-server process with JetStream, on loopback. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL) and starts it again on the same port and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The nats-server version the project installs when none is on the machine. */
export const NATS_SERVER_VERSION = 'v2.12.4';

/** Starts a real nats-server with JetStream (installing it into .tools/bin with Go when missing). */
export async function startNatsServer(options: { storeDir?: string; port?: number } = {}): Promise<NatsServer> {
  const binary = findNatsServer();
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'conexus-nats-'));
  const port = options.port ?? (await freePort());
  let child = await launch(binary, port, storeDir);
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    async restart() {
      await terminate(child);
      child = await launch(binary, port, storeDir);
    },
    stop: () => terminate(child),
  };
}

/** The nats-server binary: $NATS_SERVER_BIN, the project's .tools/bin, PATH, or a fresh `go install`. */
export function findNatsServer(): string {
  const candidates = [process.env.NATS_SERVER_BIN, join(ROOT, '.tools', 'bin', 'nats-server')];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim() || install();
  } catch {
    return install();
  }
}

function install(): string {
  const bin = join(ROOT, '.tools', 'bin');
  mkdirSync(bin, { recursive: true });
  // why: test files may install at once; each builds into its own folder and renames, which is atomic.
  const staging = mkdtempSync(join(ROOT, '.tools', 'staging-'));
  try {
    execFileSync('go', ['install', `github.com/nats-io/nats-server/v2@${NATS_SERVER_VERSION}`], {
      env: { ...process.env, GOBIN: staging },
      stdio: 'ignore',
    });
    renameSync(join(staging, 'nats-server'), join(bin, 'nats-server'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return join(bin, 'nats-server');
}

async function launch(binary: string, port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${log}`));
    });
  });
  child.stderr.resume();
  return child;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
