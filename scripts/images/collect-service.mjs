#!/usr/bin/env node
// Collects what one service needs at run time from the build stage's single `npm ci` into OUT: the root
// package.json, each workspace in the service's production closure (package.json, dist) with its
// node_modules/@conexus link, only the installed packages that closure resolves to (Node's own lookup, so
// the copied tree resolves exactly as the full one did), and a CycloneDX SBOM of exactly what is shipped.
//   node scripts/images/collect-service.mjs services/gateway /out/gateway
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const [service, out] = process.argv.slice(2);
if (!service || !out) {
  console.error('usage: collect-service.mjs services/<name> <out dir>');
  process.exit(2);
}
const ROOT = process.cwd();
// why: builds for one platform; other platforms' prebuilt binaries are dead weight (onnxruntime-node alone
// ships ~290 MB for darwin/win32/linux-arm64 beside its 45 MB linux-x64 runtime).
const ARCH = { x64: 'x64', arm64: 'arm64' }[process.arch];
const PLATFORM_FOLDERS = {
  'onnxruntime-node': { under: 'bin/napi-v6', keep: ['linux', ARCH] },
  usearch: { under: 'prebuilds', keep: [`linux-${ARCH}`] },
  'tree-sitter': { under: 'prebuilds', keep: [`linux-${ARCH}`] },
  'tree-sitter-c': { under: 'prebuilds', keep: [`linux-${ARCH}`] },
};

// why: installed but never loaded under Node: transformers' Node build bundles the few onnxruntime-web parts it
// uses and runs models on onnxruntime-node; the package is 136 MB of browser wasm.
const NOT_LOADED_UNDER_NODE = new Set(['onnxruntime-web']);
// why: sources an installed addon was (or would be) compiled from; at run time only its loader and the built
// or prebuilt binary are used (better-sqlite3's SQLite sources and objects ~30 MB, usearch's C++ ~15 MB).
const NOT_LOADED_SOURCES = {
  'better-sqlite3': [
    'deps',
    'src',
    'build/Release/obj.target',
    'build/Release/obj',
    'build/Release/.deps',
    'build/Release/test_extension.node',
  ],
  usearch: ['c', 'cpp', 'cmake', 'include', 'numkong'],
};

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The folder Node resolves `name` to from `from` (a package folder), or undefined when it is not installed. */
function resolvePackage(name, from) {
  for (let dir = from; dir.startsWith(ROOT); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === ROOT) break;
  }
  return undefined;
}

/** Every installed package folder (workspaces included) reachable from the service by production edges. */
function productionClosure(start) {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const folder = queue.shift();
    const manifest = readJson(join(folder, 'package.json'));
    const names = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ];
    for (const name of names) {
      // why: optional and optional-peer dependencies may be absent; a missing required one fails at run time
      // just as it would in the full tree, so it is skipped here, not invented.
      const resolved = NOT_LOADED_UNDER_NODE.has(name) ? undefined : resolvePackage(name, folder);
      if (resolved && !seen.has(resolved)) {
        seen.add(resolved);
        queue.push(resolved);
      }
    }
  }
  return [...seen];
}

const isWorkspace = (folder) => !relative(ROOT, folder).split(sep).includes('node_modules');

/** Copies one installed package without its nested node_modules (those are copied when resolved). */
function copyPackage(folder, target) {
  cpSync(folder, target, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => relative(folder, source).split(sep)[0] !== 'node_modules',
  });
  const { name } = readJson(join(folder, 'package.json'));
  for (const leftover of NOT_LOADED_SOURCES[name] ?? [])
    rmSync(join(target, leftover), { recursive: true, force: true });
  const platforms = PLATFORM_FOLDERS[name];
  if (!platforms) return;
  let dir = join(target, platforms.under);
  for (const keep of platforms.keep) {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) if (entry !== keep) rmSync(join(dir, entry), { recursive: true });
    dir = join(dir, keep);
  }
}

const start = realpathSync(service);
const closure = productionClosure(start);
const app = join(out, 'app');
mkdirSync(app, { recursive: true });
cpSync('package.json', join(app, 'package.json'));
for (const folder of closure) {
  const path = relative(ROOT, folder);
  if (isWorkspace(folder)) {
    const { name } = readJson(join(folder, 'package.json'));
    for (const part of ['package.json', 'dist']) cpSync(join(folder, part), join(app, path, part), { recursive: true });
    mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(relative(dirname(join(ROOT, 'node_modules', name)), folder), join(app, 'node_modules', name));
  } else {
    copyPackage(folder, join(app, path));
  }
}

// why: npm's SBOM for one workspace follows the lockfile: with --omit dev it drops packages the root also
// lists as devDependencies (@nats-io/*, @bufbuild/protobuf) although the service ships them, and without it
// it adds test-only ones; the full workspace SBOM cut down to what was copied describes exactly this image.
const sbom = JSON.parse(
  execFileSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--package-lock-only', '--workspace', service], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);
const shipped = new Set(
  closure.map((folder) => {
    const { name, version } = readJson(join(folder, 'package.json'));
    return `${name}@${version}`;
  }),
);
shipped.add(sbom.metadata.component['bom-ref']);
sbom.components = sbom.components.filter((component) => shipped.has(component['bom-ref']));
sbom.dependencies = sbom.dependencies
  .filter((dependency) => shipped.has(dependency.ref))
  .map((dependency) => ({ ...dependency, dependsOn: (dependency.dependsOn ?? []).filter((ref) => shipped.has(ref)) }));
// why: reproducible: no build time, and a serial number derived from the content, so an unchanged service
// gives a byte-identical SBOM and its image layer stays cached.
delete sbom.metadata.timestamp;
delete sbom.serialNumber;
const digest = createHash('sha256').update(JSON.stringify(sbom)).digest('hex');
sbom.serialNumber = `urn:uuid:${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
writeFileSync(join(out, 'sbom.cdx.json'), `${JSON.stringify(sbom, null, 2)}\n`);
const workspaces = closure.filter(isWorkspace).length;
console.log(
  `${service}: ${workspaces} workspaces, ${closure.length - workspaces} packages, ${sbom.components.length} in the SBOM`,
);
