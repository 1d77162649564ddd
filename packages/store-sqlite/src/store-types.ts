import type { Chunk } from '@conexus/kernel';

/** One indexed repository as the store records it. */
export interface RepoRow {
  readonly id: number;
  readonly name: string;
  readonly root: string;
  readonly commit: string | null;
  readonly indexedAt: string | null;
  readonly embedder: string | null;
  readonly generation: number;
}

/** A repository with its file, chunk and skip counts. */
export interface RepoRecord extends RepoRow {
  readonly files: number;
  readonly chunks: number;
  readonly skipped: number;
}

/** A chunk as stored: the chunk plus its repository, row and the hash its embedding is cached under. */
export interface StoredChunk extends Chunk {
  readonly rowid: number;
  readonly repoId: number;
  readonly embedHash: string;
}

/** Where a symbol chunk is: enough to match names without reading its text. */
export interface NamedChunk {
  readonly rowid: number;
  readonly repoId: number;
  readonly path: string;
  readonly symbol: string | null;
}

/** Pre-tokenized text of a chunk's three searchable fields (space-separated tokens). */
export interface ChunkTerms {
  readonly symbol: string;
  readonly path: string;
  readonly body: string;
}

/** BM25 weight of each searchable field. */
export interface FieldWeights {
  readonly symbol: number;
  readonly path: number;
  readonly body: number;
}

/** A chunk to write, with its tokens and the hash of the text that is embedded for it. */
export interface ChunkWrite {
  readonly chunk: Chunk;
  readonly terms: ChunkTerms;
  readonly embedHash: string;
}

/** A file's identity for change detection. */
export interface FileRecord {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly language: string | null;
}

/** A secret redacted from a file before it was chunked: where, and which rule found it. */
export interface RedactionRecord {
  readonly path: string;
  readonly line: number;
  readonly rule: string;
}

/** Writes one repository snapshot inside a single transaction: all of it lands, or none of it. */
export interface SnapshotWriter {
  readonly repoId: number;
  /** Replaces a file's chunks and the redactions made in its text. */
  putFile(
    file: FileRecord,
    chunks: readonly ChunkWrite[],
    redactions?: readonly { line: number; rule: string }[],
  ): void;
  touchFile(file: FileRecord): void;
  deleteFile(path: string): void;
  recordSkip(path: string, reason: string): void;
  commit(snapshot: { commit: string | null; embedder: string | null }): void;
  rollback(): void;
}

/** A lexical match: the chunk row and its BM25 score (higher is better). */
export interface LexicalHit {
  readonly rowid: number;
  readonly score: number;
}

/** The embedded index store of a data directory. */
export interface SqliteStore {
  listRepos(): RepoRecord[];
  findRepo(name: string): RepoRecord | null;
  /** Repositories without counts: cheap enough for every search. */
  repoRows(): RepoRow[];
  knownFiles(repoId: number): Map<string, { size: number; mtimeMs: number; hash: string }>;
  skipCounts(repoId: number): Map<string, number>;
  /** Every secret redacted from the repository's current files, by path and line. */
  redactions(repoId: number): RedactionRecord[];
  beginSnapshot(name: string, root: string): SnapshotWriter;
  removeRepo(name: string): boolean;
  /** Records the embedder whose vectors are now complete for a repository. */
  setEmbedder(repoId: number, embedder: string | null): void;
  searchLexical(match: string, repoIds: readonly number[], limit: number, weights: FieldWeights): LexicalHit[];
  termDocCounts(terms: readonly string[]): Map<string, number>;
  chunkCount(): number;
  chunksByRowid(rowids: readonly number[]): Map<number, StoredChunk>;
  /** Where chunks live, without their text: for filtering candidates by scope. */
  chunkLocations(rowids: readonly number[]): Map<number, { repoId: number; path: string }>;
  chunksNamed(namesLower: readonly string[], repoIds: readonly number[]): NamedChunk[];
  /** Symbol chunks whose name (or qualified name, when the pattern has a dot) matches a lower-case GLOB. */
  symbolsMatching(globLower: string, kind: string | null, repoIds: readonly number[], limit: number): StoredChunk[];
  hasFile(repoId: number, path: string): boolean;
  chunksOfRepos(repoIds: readonly number[]): { rowid: number; embedHash: string }[];
  filePaths(repoIds: readonly number[]): { repoId: number; path: string }[];
  chunksOfFile(repoId: number, path: string): StoredChunk[];
  close(): void;
}
