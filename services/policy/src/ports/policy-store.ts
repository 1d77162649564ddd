import type { PolicyEntry } from '../domain/policy-entry.js';

/** Durable policy storage that every replica watches; writes by any replica reach all of them. */
export interface PolicyStore {
  /** Every entry as this replica last saw it, by key. */
  entries(): ReadonlyMap<string, PolicyEntry>;
  /** Stores an entry under its key, replacing any earlier one. */
  put(key: string, entry: PolicyEntry): Promise<void>;
  /** Stores an entry only if its key is free; returns the entry already there otherwise. */
  create(key: string, entry: PolicyEntry): Promise<PolicyEntry | null>;
  /** Removes an entry; returns whether it existed. */
  delete(key: string): Promise<boolean>;
  /** Calls back after each change this replica sees; for its own writes, before the write resolves. */
  onChange(listener: () => void): void;
  close(): Promise<void>;
}
