import type { ConexusRepository, RepositoryStatus } from '../domain/conexus-repository.js';

/** The ConexusRepository objects of one namespace: a watched cache, and the writes the controller makes. */
export interface RepositoryResources {
  /** Starts watching; `changed` is called with each object's name when it is added, changed or deleted. */
  watch(changed: (name: string) => void): Promise<void>;
  /** The cached object, or undefined once it is gone. */
  get(name: string): ConexusRepository | undefined;
  names(): string[];
  setFinalizers(resource: ConexusRepository, finalizers: readonly string[]): Promise<void>;
  setStatus(resource: ConexusRepository, status: RepositoryStatus): Promise<void>;
  stop(): Promise<void>;
}
