import { execFile } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { promisify } from 'node:util';
import { isCanonicalPath } from '@conexus/access';
import { ConexusError } from '@conexus/kernel';
import { redactSecrets } from '@conexus/secrets';

const run = promisify(execFile);
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads an indexed file with its secrets redacted: the blob at `commit` when git has it, else (unless `exact`, for a
 * commit the caller named) the working-tree file, never through a symlink.
 */
export async function readRepoFile(root: string, path: string, commit: string | null, exact = false): Promise<string> {
  // why: this serves the file from disk, not from the redacted chunks, so it must redact as indexing does;
  // redaction keeps every line, so GetFile line ranges still match the chunks' lines.
  return redactSecrets(await readRaw(root, path, commit, exact)).text;
}

async function readRaw(root: string, path: string, commit: string | null, exact: boolean): Promise<string> {
  if (!isCanonicalPath(path)) throw new ConexusError('invalid_argument', `invalid path "${path}"`);
  if (commit) {
    if (!/^[0-9a-f]{7,64}$/.test(commit)) throw new ConexusError('invalid_argument', `invalid commit "${commit}"`);
    const blob = await run('git', ['-C', root, '-c', 'core.fsmonitor=false', 'cat-file', 'blob', `${commit}:${path}`], {
      maxBuffer: MAX_FILE_BYTES,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    }).catch(() => null);
    if (blob) return blob.stdout;
    // why: the working tree is not that commit; answering with it under the named commit's label would be a lie.
    if (exact) throw new ConexusError('not_found', `no file ${path} at commit ${commit}`);
  }
  return readWorkingTreeFile(root, path);
}

function readWorkingTreeFile(root: string, path: string): string {
  const absolute = join(root, path);
  let parent: string;
  try {
    parent = realpathSync(dirname(absolute));
  } catch {
    throw new ConexusError('not_found', `${path} is no longer on disk`);
  }
  const inside = relative(realpathSync(root), parent);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new ConexusError('not_found', `${path} is no longer on disk`);
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    throw new ConexusError('not_found', `${path} is no longer on disk`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new ConexusError('not_found', `${path} is not a regular file`);
    if (info.size > MAX_FILE_BYTES)
      throw new ConexusError('resource_exhausted', `${path} is larger than ${MAX_FILE_BYTES} bytes`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
