import type { SkipReason } from './skip-reason.js';

const VENDORED_DIRS = new Set([
  'node_modules',
  'vendor',
  'dist',
  'bower_components',
  'third_party',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  'target',
  '.gradle',
  '.next',
  '.nuxt',
  '.yarn',
  'Pods',
  '.idea',
  '.vscode-test',
  'coverage',
  '.conexus',
]);

const LOCK_FILES = new Set([
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'npm-shrinkwrap.json',
  'bun.lockb',
  'Cargo.lock',
  'Gemfile.lock',
  'poetry.lock',
  'Pipfile.lock',
  'composer.lock',
  'go.sum',
  'uv.lock',
  'pdm.lock',
  'packages.lock.json',
  'mix.lock',
  'flake.lock',
  'pubspec.lock',
  'Podfile.lock',
]);

const BINARY_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'bmp',
  'ico',
  'webp',
  'tif',
  'tiff',
  'psd',
  'pdf',
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  '7z',
  'rar',
  'jar',
  'war',
  'class',
  'so',
  'dylib',
  'dll',
  'exe',
  'o',
  'a',
  'lib',
  'obj',
  'pyc',
  'pyo',
  'wasm',
  'bin',
  'dat',
  'db',
  'sqlite',
  'mp3',
  'mp4',
  'mov',
  'avi',
  'wav',
  'flac',
  'ogg',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
  'npy',
  'npz',
  'pkl',
  'onnx',
  'pt',
  'h5',
  'parquet',
]);

const GENERATED_NAME = /(\.min\.(js|css)|\.pb\.go|_pb2(_grpc)?\.pyi?|\.pb\.(cc|h)|\.g\.dart|\.designer\.cs|\.map)$/;

/** Decides from the path alone whether a file is skipped, and why; null keeps it. */
export function classifyPath(path: string): SkipReason | null {
  const segments = path.split('/');
  const fileName = segments[segments.length - 1] ?? '';
  if (segments.slice(0, -1).some((segment) => VENDORED_DIRS.has(segment))) return 'vendored';
  if (LOCK_FILES.has(fileName) || fileName.endsWith('.lock')) return 'lockfile';
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (BINARY_EXTENSIONS.has(extension)) return 'binary';
  if (GENERATED_NAME.test(fileName)) return 'generated';
  return null;
}
