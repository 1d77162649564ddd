/** One stored object: its name, size in bytes and SHA-256 (hex) of its content. */
export interface BlobInfo {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** Named binary objects that outlive any one process and pod, e.g. shard snapshots. */
export interface BlobStore {
  /** Stores the file at `path` under `name`, replacing what was there; readers see the old or the new object whole. */
  putFile(name: string, path: string): Promise<BlobInfo>;
  /** Writes the object to `path` (replacing the file) after checking its digest; null, writing nothing, when absent. */
  getFile(name: string, path: string): Promise<BlobInfo | null>;
  putBytes(name: string, data: Uint8Array): Promise<BlobInfo>;
  getBytes(name: string): Promise<Uint8Array | null>;
  /** The objects whose names start with `prefix`, sorted by name. */
  list(prefix: string): Promise<BlobInfo[]>;
  /** Removes the object; removing one that is absent is not an error. */
  delete(name: string): Promise<void>;
}
