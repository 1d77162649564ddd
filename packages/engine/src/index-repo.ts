import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { ConexusError, contentHash, type Chunk } from '@conexus/kernel';
import { scanRepo, type SkipReason } from '@conexus/ingest';
import type { Chunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { codeTokens, pathTokens } from '@conexus/retrieval';
import type { ChunkWrite, SqliteEmbeddingCache, SqliteStore } from '@conexus/store-sqlite';
import { embedMissing } from './embed-missing.js';
import { embeddingText } from './embedding-text.js';

/** What one index run did. */
export interface IndexSummary {
  readonly repo: string;
  readonly commit: string | null;
  readonly filesSeen: number;
  readonly filesIndexed: number;
  readonly filesUnchanged: number;
  readonly filesDeleted: number;
  readonly skipped: Partial<Record<SkipReason, number>>;
  readonly chunks: number;
  readonly chunksWritten: number;
  readonly bytesIndexed: number;
  readonly embedded: number;
  readonly seconds: number;
  readonly embedSeconds: number;
}

/** Collaborators of an index run. */
export interface IndexDeps {
  readonly store: SqliteStore;
  readonly cache: SqliteEmbeddingCache;
  readonly chunker: Chunker;
  readonly embedder: Embedder | null;
  readonly maxFileBytes: number;
}

/** Indexes (or re-indexes incrementally) one directory as a named repository, atomically. */
export async function indexRepo(deps: IndexDeps, directory: string, name?: string): Promise<IndexSummary> {
  const started = performance.now();
  const root = resolve(directory);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new ConexusError('not_found', `no such directory: ${directory}`);
  const repoName = name ?? basename(root);
  if (!/^[\w.@+-][\w.@+/-]*$/.test(repoName)) {
    throw new ConexusError('invalid_argument', `invalid repository name "${repoName}": use letters, digits and . _ - + @ /`);
  }
  const previous = deps.store.findRepo(repoName);
  const known = previous ? deps.store.knownFiles(previous.id) : new Map();
  const scan = await scanRepo(root, { maxFileBytes: deps.maxFileBytes, known });
  const writer = deps.store.beginSnapshot(repoName, root);
  const skipped: Partial<Record<SkipReason, number>> = {};
  const seen = new Set<string>();
  let filesIndexed = 0;
  let filesUnchanged = 0;
  let chunksWritten = 0;
  let bytesIndexed = 0;
  try {
    for await (const entry of scan.entries) {
      if (entry.kind === 'skip') {
        writer.recordSkip(entry.path, entry.reason);
        skipped[entry.reason] = (skipped[entry.reason] ?? 0) + 1;
        continue;
      }
      seen.add(entry.path);
      const record = { path: entry.path, hash: entry.hash, size: entry.size, mtimeMs: entry.mtimeMs, language: null };
      if (entry.text === null || known.get(entry.path)?.hash === entry.hash) {
        if (entry.text !== null) writer.touchFile(record);
        filesUnchanged += 1;
        continue;
      }
      const chunks = deps.chunker.chunk(entry.path, entry.text).map((draft) => toWrite(repoName, { ...draft, id: '' }));
      writer.putFile({ ...record, language: deps.chunker.languageOf(entry.path) }, chunks);
      filesIndexed += 1;
      chunksWritten += chunks.length;
      bytesIndexed += entry.size;
    }
    let filesDeleted = 0;
    for (const path of known.keys()) {
      if (!seen.has(path)) {
        writer.deleteFile(path);
        filesDeleted += 1;
      }
    }
    const embedStarted = performance.now();
    const embedded = deps.embedder ? await embedMissing(deps.store, deps.cache, deps.embedder, [writer.repoId]) : 0;
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    writer.commit({ commit: scan.commit, embedder: deps.embedder?.id ?? null });
    const stored = deps.store.findRepo(repoName);
    return {
      repo: repoName,
      commit: scan.commit,
      filesSeen: seen.size + Object.values(skipped).reduce((sum, count) => sum + count, 0),
      filesIndexed,
      filesUnchanged,
      filesDeleted,
      skipped,
      chunks: stored?.chunks ?? 0,
      chunksWritten,
      bytesIndexed,
      embedded,
      seconds: (performance.now() - started) / 1000,
      embedSeconds,
    };
  } catch (error) {
    writer.rollback();
    throw error;
  }
}

function toWrite(repo: string, draft: Chunk): ChunkWrite {
  const chunk: Chunk = {
    ...draft,
    // why: ids depend only on what the chunk is, so a redelivered or repeated run writes the same ids.
    id: contentHash(repo, draft.path, String(draft.startLine), String(draft.endLine), draft.symbol ?? '', draft.text),
  };
  const symbolText = [chunk.symbol ?? '', chunk.signature ?? ''].join(' ');
  return {
    chunk,
    embedHash: contentHash(embeddingText(chunk)),
    terms: {
      symbol: codeTokens(symbolText).join(' '),
      path: pathTokens(chunk.path).join(' '),
      body: codeTokens(chunk.text).join(' '),
    },
  };
}
