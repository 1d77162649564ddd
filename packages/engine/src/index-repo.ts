import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { ConexusError } from '@conexus/kernel';
import { scanRepo, type ScannedFile, type SkippedFile, type SkipReason } from '@conexus/ingest';
import { languageForPath } from '@conexus/chunking';
import { redactSecrets } from '@conexus/secrets';
import type { RedactionRecord, SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import type { ChunkedFile } from './chunk-file.js';
import type { ChunkPool } from './chunk-pool.js';
import { missingVectors, type MissingVectors } from './embed-missing.js';
import type { DenseSummary, IndexRunOptions } from './index-progress.js';
import { createProgressMeter } from './progress-meter.js';

const MAX_IN_FLIGHT = 32;
// why: a file rewritten with the same size within the clock tick of the last run must still be re-read.
const RACY_WINDOW_MS = 2000;

/** What one index run did. */
export interface IndexSummary {
  readonly repo: string;
  readonly commit: string | null;
  readonly filesSeen: number;
  readonly filesIndexed: number;
  readonly filesUnchanged: number;
  readonly filesDeleted: number;
  readonly skipped: Partial<Record<SkipReason, number>>;
  /** Every secret redacted from the repository's files (not only those read this run): path, line and rule. */
  readonly redactions: readonly RedactionRecord[];
  readonly chunks: number;
  readonly chunksWritten: number;
  readonly bytesIndexed: number;
  /** Chunks embedded before `index` resolved: 0, the vectors follow in `dense`. */
  readonly embedded: number;
  readonly seconds: number;
  /** Seconds spent embedding before `index` resolved: 0, see `dense`. */
  readonly embedSeconds: number;
  /** The dense phase, running on after the lexical snapshot committed; null without an embedder. */
  readonly dense: Promise<DenseSummary> | null;
}

/** Collaborators of an index run; `embedderId` names the model whose vectors the snapshot needs. */
export interface IndexDeps {
  readonly store: SqliteStore;
  readonly cache: SqliteEmbeddingCache;
  readonly chunks: ChunkPool;
  readonly embedderId: string | null;
  readonly maxFileBytes: number;
}

/** The lexical phase's outcome: its summary (the dense phase still to start) and the vectors that phase owes. */
export interface LexicalIndex {
  readonly summary: Omit<IndexSummary, 'dense'>;
  readonly repoId: number;
  readonly missing: MissingVectors;
}

/**
 * Indexes (or re-indexes incrementally) one directory as a named repository, atomically: the lexical snapshot, which
 * is searchable once this resolves. Aborting `options.signal` between files rolls the snapshot back.
 */
export async function indexRepo(
  deps: IndexDeps,
  directory: string,
  name?: string,
  options: IndexRunOptions = {},
): Promise<LexicalIndex> {
  const started = performance.now();
  const root = resolve(directory);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new ConexusError('not_found', `no such directory: ${directory}`);
  const repoName = name ?? basename(root);
  if (!/^[\w.@+-][\w.@+/-]*$/.test(repoName)) {
    throw new ConexusError(
      'invalid_argument',
      `invalid repository name "${repoName}": use letters, digits and . _ - + @ /`,
    );
  }
  const writer = deps.store.beginSnapshot(repoName, root);
  // why: read what is known inside the transaction, so no other writer can change it under this run.
  const previous = deps.store.findRepo(repoName);
  const known = previous?.indexedAt
    ? deps.store.knownFiles(writer.repoId)
    : new Map<string, { size: number; mtimeMs: number; hash: string }>();
  const racyAfterMs = previous?.indexedAt ? Date.parse(previous.indexedAt) - RACY_WINDOW_MS : 0;
  let scan;
  try {
    scan = await scanRepo(root, { maxFileBytes: deps.maxFileBytes, known, racyAfterMs });
  } catch (error) {
    writer.rollback();
    throw error;
  }
  const skipped: Partial<Record<SkipReason, number>> = {};
  const seen = new Set<string>();
  let filesIndexed = 0;
  let filesUnchanged = 0;
  let chunksWritten = 0;
  let bytesIndexed = 0;
  let filesRead = 0;
  const meter = createProgressMeter(repoName, 'indexing', options.onProgress);
  // why: the scan yields each file it lists once, kept or skipped, so files read never pass its count.
  const progress = (final: boolean): void => meter(filesRead, scan.files, final);

  // why: files are chunked concurrently (worker threads) but written in order, inside one transaction.
  const inFlight: { file: ScannedFile; chunked: Promise<ChunkedFile> }[] = [];
  const writeOldest = async (): Promise<void> => {
    const { file, chunked } = inFlight.shift()!;
    const { writes: chunks, redactions } = await chunked;
    const record = { path: file.path, hash: file.hash, size: file.size, mtimeMs: file.mtimeMs };
    writer.putFile({ ...record, language: languageForPath(file.path) }, chunks, redactions);
    filesIndexed += 1;
    chunksWritten += chunks.length;
    bytesIndexed += file.size;
  };
  try {
    for await (const scanned of scan.entries) {
      stopIfAborted(options.signal);
      filesRead += 1;
      progress(false);
      const entry = screenPath(scanned);
      if (entry.kind === 'skip') {
        writer.recordSkip(entry.path, entry.reason);
        skipped[entry.reason] = (skipped[entry.reason] ?? 0) + 1;
        continue;
      }
      seen.add(entry.path);
      const record = {
        path: entry.path,
        hash: entry.hash,
        size: entry.size,
        mtimeMs: entry.mtimeMs,
        language: languageForPath(entry.path),
      };
      if (entry.text === null || known.get(entry.path)?.hash === entry.hash) {
        if (entry.text !== null) writer.touchFile(record);
        filesUnchanged += 1;
        continue;
      }
      const chunked = deps.chunks.chunk(repoName, entry.path, entry.text);
      chunked.catch(() => undefined);
      inFlight.push({ file: entry, chunked });
      if (inFlight.length >= MAX_IN_FLIGHT) await writeOldest();
    }
    while (inFlight.length > 0) await writeOldest();
    stopIfAborted(options.signal);
    let filesDeleted = 0;
    for (const path of known.keys()) {
      if (!seen.has(path)) {
        writer.deleteFile(path);
        filesDeleted += 1;
      }
    }
    // why: vectors are added after the snapshot commits, so the write lock is never held while a model runs. A
    // repository first records an embedder once every one of its chunks has a vector (at once when all are cached,
    // read through this connection, which sees the snapshot; else when the dense phase ends), so it is never
    // searched densely with most vectors missing. A repository already searched densely with the same model keeps
    // it: the few chunks a re-index changed (a save in watch mode) lack a dense score for seconds, instead of the
    // whole repository dropping to lexical ranking until they are in; the dense phase's end refreshes the vectors.
    const missing = deps.embedderId ? missingVectors(deps.store, deps.cache, deps.embedderId, [writer.repoId]) : [];
    const keepsDense = missing.length === 0 || (deps.embedderId !== null && previous?.embedder === deps.embedderId);
    writer.commit({ commit: scan.commit, embedder: keepsDense ? deps.embedderId : null });
    const stored = deps.store.findRepo(repoName);
    progress(true);
    const summary = {
      repo: repoName,
      commit: scan.commit,
      filesSeen: seen.size + Object.values(skipped).reduce((sum, count) => sum + count, 0),
      filesIndexed,
      filesUnchanged,
      filesDeleted,
      skipped,
      redactions: deps.store.redactions(writer.repoId),
      chunks: stored?.chunks ?? 0,
      chunksWritten,
      bytesIndexed,
      embedded: 0,
      seconds: (performance.now() - started) / 1000,
      embedSeconds: 0,
    };
    return { summary, repoId: writer.repoId, missing };
  } catch (error) {
    writer.rollback();
    throw error;
  }
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ConexusError('cancelled', 'indexing stopped', { cause: signal.reason });
}

// why: paths are served as they are (search results, symbols, file lists, GetFile requests), and a path with its
// secret masked could not be read back by GetFile, so a file whose path holds a secret is not indexed at all. Its
// skip is recorded under the masked path, so the store never holds the secret either; paths that differ only in
// their secret share one skip record.
function screenPath(entry: ScannedFile | SkippedFile): ScannedFile | SkippedFile {
  const { text, findings } = redactSecrets(entry.path);
  return findings.length === 0 ? entry : { kind: 'skip', path: text, reason: 'secret_in_path' };
}
