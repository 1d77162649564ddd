import type { PolicyEntry } from '../../domain/policy-entry.js';
import type { PolicyStore } from '../../ports/policy-store.js';

/** A policy store held in one process, for the embedded server and for tests of code that needs a store. */
export function createInProcessPolicyStore(): PolicyStore {
  const entries = new Map<string, PolicyEntry>();
  const listeners: Array<() => void> = [];
  // why: like the NATS adapter, listeners hear about a write once it is stored and before the write resolves.
  const changed = (): void => listeners.forEach((listener) => listener());
  return {
    entries: () => entries,
    async put(key, entry) {
      entries.set(key, entry);
      changed();
    },
    async create(key, entry) {
      const existing = entries.get(key);
      if (existing) return existing;
      entries.set(key, entry);
      changed();
      return null;
    },
    async delete(key) {
      const existed = entries.delete(key);
      if (existed) changed();
      return existed;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      listeners.length = 0;
    },
  };
}
