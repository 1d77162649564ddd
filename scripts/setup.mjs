// Installs dependencies when they are missing or stale, then builds (tsc -b is incremental).
// Used by `npm start`, `npm test` and the benchmarks so that a fresh clone needs no other step.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// why: a machine-wide npmrc may pin `nodedir` to the system Node's headers (/usr, Node 20 here); better-sqlite3
// compiled against them fails to load under another major (Node 22, the images' Node), so build native addons
// against the headers of the Node that runs this script whenever they ship beside it (the official builds do).
const nodeHome = dirname(dirname(process.execPath));
const nodeHeaders = existsSync(join(nodeHome, 'include', 'node', 'node_version.h'))
  ? { npm_config_nodedir: nodeHome }
  : {};
const installEnv = { ...nodeHeaders, ONNXRUNTIME_NODE_INSTALL: 'skip', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' };

const run = (command, env = {}) =>
  execSync(command, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

/** Whether the native addon compiled for one Node ABI (better-sqlite3; the others are N-API) loads under this Node. */
function nativeAddonLoads() {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch (error) {
    if (error.code === 'ERR_DLOPEN_FAILED') return false;
    throw error;
  }
}

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs) {
  process.stderr.write('conexus: installing dependencies (npm ci)…\n');
  // why: onnxruntime-node's postinstall tries to download GPU binaries; the CPU binary ships in the package.
  run('npm ci --no-audit --no-fund', installEnv);
} else if (!nativeAddonLoads()) {
  // why: node_modules was installed under another Node major (switching 20 ↔ 22 in one tree); only this addon changes.
  process.stderr.write(`conexus: rebuilding better-sqlite3 for Node ${process.versions.node} (npm rebuild)…\n`);
  run('npm rebuild better-sqlite3', installEnv);
}
run('npx tsc -b');
