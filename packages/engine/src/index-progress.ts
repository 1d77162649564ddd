/** Where a repository's index run is: reading and chunking files, then embedding its chunks in the background. */
export type IndexPhase = 'indexing' | 'embedding';

/** How far one phase of a repository's index run has come. */
export interface IndexProgress {
  readonly repo: string;
  readonly phase: IndexPhase;
  /** Files read (indexing) or chunks embedded (embedding) so far. */
  readonly done: number;
  /** Files to read or chunks to embed; 0 while not yet known. */
  readonly total: number;
  /** Items per second over the phase so far. */
  readonly perSecond: number;
}

/** What the dense phase of an index run did; `complete` is false when it was stopped before the end. */
export interface DenseSummary {
  readonly embedded: number;
  readonly seconds: number;
  readonly complete: boolean;
}

/** How one index run is watched and stopped. */
export interface IndexRunOptions {
  /** Aborting rolls back an unfinished lexical snapshot and stops embedding; what was committed stays. */
  readonly signal?: AbortSignal;
  /** Called as files are read and chunks embedded, including after `index` resolves while vectors are computed. */
  readonly onProgress?: (progress: IndexProgress) => void;
}
