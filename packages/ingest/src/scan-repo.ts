import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import ignore from 'ignore';
import { contentHash } from '@conexus/kernel';
import { classifyContent } from './classify-content.js';
import { classifyPath } from './classify-path.js';
import { listRepoFiles, readRegularFile } from './list-repo-files.js';
import type { SkipReason } from './skip-reason.js';

/** What the store already knows of a file, so unchanged files are not read again. */
export interface KnownFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
}

/** A file kept for indexing; `text` is null when its size and mtime show it unchanged. */
export interface ScannedFile {
  readonly kind: 'file';
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly text: string | null;
}

/** A file left out, with the recorded reason. */
export interface SkippedFile {
  readonly kind: 'skip';
  readonly path: string;
  readonly reason: SkipReason;
}

/** Options for scanning one repository. */
export interface ScanOptions {
  readonly maxFileBytes: number;
  readonly known?: ReadonlyMap<string, KnownFile>;
  /** Files modified at or after this time (ms) are re-read even when size and mtime match. */
  readonly racyAfterMs?: number;
}

/** Result header of a scan: the commit, how many files it lists, and the stream of kept and skipped files. */
export interface RepoScan {
  readonly commit: string | null;
  /** Files listed, each of which `entries` yields once (kept or skipped). */
  readonly files: number;
  readonly entries: AsyncIterable<ScannedFile | SkippedFile>;
}

/** Default cap on one file's size. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Lists a repository and streams each file as kept (with its hash and, if changed, its text) or skipped. */
export async function scanRepo(root: string, options: ScanOptions): Promise<RepoScan> {
  const realRoot = await realpath(root);
  const listing = await listRepoFiles(realRoot);
  const conexusIgnore = await readRegularFile(join(realRoot, '.conexusignore'));
  const rules = conexusIgnore === null ? null : ignore().add(conexusIgnore);
  const realDirs = new Map<string, string>();
  async function* entries(): AsyncGenerator<ScannedFile | SkippedFile> {
    for (const path of listing.paths) {
      const byPath = rules?.ignores(path) ? 'ignored' : classifyPath(path);
      if (byPath) {
        yield { kind: 'skip', path, reason: byPath };
        continue;
      }
      yield scanFile(realRoot, path, options, realDirs);
    }
  }
  return { commit: listing.commit, files: listing.paths.length, entries: entries() };
}

// why: synchronous file calls cost a fraction of the promise round trips, and files are capped in size.
function scanFile(
  realRoot: string,
  path: string,
  options: ScanOptions,
  realDirs: Map<string, string>,
): ScannedFile | SkippedFile {
  const absolute = join(realRoot, path);
  const skip = (reason: SkipReason): SkippedFile => ({ kind: 'skip', path, reason });
  try {
    const stats = lstatSync(absolute);
    if (stats.isSymbolicLink()) return skip('symlink');
    if (!stats.isFile()) return skip('unreadable');
    if (stats.size > options.maxFileBytes) return skip('too_large');
    // why: a parent directory may be a symlink that leads out of the root.
    const parent = dirname(absolute);
    let realParent = realDirs.get(parent);
    if (realParent === undefined) {
      realParent = realpathSync(parent);
      realDirs.set(parent, realParent);
    }
    if (realParent !== realRoot && !realParent.startsWith(realRoot + sep)) return skip('outside_root');
    const known = options.known?.get(path);
    const racy = options.racyAfterMs !== undefined && stats.mtimeMs >= options.racyAfterMs;
    if (known && !racy && known.size === stats.size && known.mtimeMs === stats.mtimeMs) {
      return { kind: 'file', path, size: stats.size, mtimeMs: stats.mtimeMs, hash: known.hash, text: null };
    }
    const bytes = readNoFollow(absolute, stats);
    if (bytes === null) return skip('symlink');
    if (bytes.length > options.maxFileBytes) return skip('too_large');
    const byContent = classifyContent(bytes);
    if (byContent) return skip(byContent);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    return { kind: 'file', path, size: bytes.length, mtimeMs: stats.mtimeMs, hash: contentHash(bytes), text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return skip('vanished');
    if (code === 'ELOOP') return skip('symlink');
    return skip('unreadable');
  }
}

// why: the file may be swapped for a symlink (or a FIFO) between lstat and read; O_NOFOLLOW refuses the
// link, O_NONBLOCK keeps a FIFO from hanging, and the inode must still be the one lstat saw.
function readNoFollow(absolute: string, seen: Stats): Buffer | null {
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return null;
    throw error;
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== seen.ino || opened.dev !== seen.dev) return null;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
