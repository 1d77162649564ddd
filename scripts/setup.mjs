// Installs dependencies when they are missing or stale, then builds (tsc -b is incremental).
// Used by `npm start`, `npm test` and the benchmarks so that a fresh clone needs no other step.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (command, env = {}) =>
  execSync(command, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs) {
  process.stderr.write('conexus: installing dependencies (npm ci)…\n');
  // why: onnxruntime-node's postinstall tries to download GPU binaries; the CPU binary ships in the package.
  run('npm ci --no-audit --no-fund', { ONNXRUNTIME_NODE_INSTALL: 'skip', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' });
}
run('npx tsc -b');
