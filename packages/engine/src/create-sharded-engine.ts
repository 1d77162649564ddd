import { basename, resolve } from 'node:path';
import type { Embedder } from '@conexus/embedding';
import { ConexusError } from '@conexus/kernel';
import { DEFAULT_SHARD_COUNT, mergeByScore, reposByShard, shardOf } from '@conexus/sharding';
import { createEngine, type Engine, type EngineOptions } from './create-engine.js';
import { createEmbedPool } from './embed-pool.js';
import { createSearchPool } from './search-pool.js';
import { claimShardCount, existingShards, shardDirectory } from './shard-layout.js';

/** A data directory split into virtual shards, each its own store; repositories live in the shard of their name. */
export interface ShardedEngineOptions extends Omit<EngineOptions, 'dataDir' | 'searchPool' | 'embedPool'> {
  readonly dataDir: string;
  readonly shardCount?: number;
  /** Threads that run searches for every shard (a long-running server uses one per core); 0 searches inline. */
  readonly searchThreads?: number;
}

/** An engine over every shard of a data directory, searching the shards that hold the requested repositories. */
export interface ShardedEngine extends Engine {
  readonly shardCount: number;
  /** The engine of one shard, opened on first use. */
  shard(shard: number): Engine;
  /** Closes one shard's engine (if open) so its store can be replaced; the next shard() call opens it again. */
  release(shard: number): Promise<void>;
}

/** Opens the sharded engine that the CLI and the embedded server share. */
export function createShardedEngine(options: ShardedEngineOptions): ShardedEngine {
  const shardCount = options.shardCount ?? DEFAULT_SHARD_COUNT;
  claimShardCount(options.dataDir, shardCount);
  const embedder = options.embedder ? sharedEmbedder(options.embedder) : null;
  const engines = new Map<number, Engine>();
  const searchPool = createSearchPool(options.searchThreads ?? 0, options.annMinVectors);
  // why: one pool for every shard bounds how many copies of the model embed at once, whichever shards index.
  const embedPool = embedder ? createEmbedPool(embedder) : undefined;
  const shard = (number: number): Engine => {
    let engine = engines.get(number);
    if (!engine) {
      const dataDir = shardDirectory(options.dataDir, number);
      engine = createEngine({ ...options, embedder, searchPool, embedPool, dataDir });
      engines.set(number, engine);
    }
    return engine;
  };
  // why: a shard with no store cannot hold the repository; asking it would create an empty store.
  const holder = (repo: string): Engine | null => {
    const number = shardOf(repo, shardCount);
    return existingShards(options.dataDir).includes(number) ? shard(number) : null;
  };
  const populated = (): number[] =>
    existingShards(options.dataDir).filter((number) => shard(number).repoRows().length > 0);
  // why: a shard with no store cannot hold the repository, so it is unknown without opening anything.
  const targets = (requested: readonly string[]): { number: number; repos: string[] }[] => {
    if (requested.length === 0) return populated().map((number) => ({ number, repos: [] }));
    const present = new Set(existingShards(options.dataDir));
    const missing = requested.find((repo) => !present.has(shardOf(repo, shardCount)));
    if (missing !== undefined)
      throw new ConexusError('not_found', `unknown repository "${missing}" (see \`conexus repos\`)`);
    return [...reposByShard(requested, shardCount)].map(([number, repos]) => ({ number, repos }));
  };
  // why: a shard without repositories adds nothing to a listing, so listing needs no `populated` check.
  const listed = <T extends { name: string }>(list: (engine: Engine) => T[]): T[] =>
    existingShards(options.dataDir)
      .flatMap((number) => list(shard(number)))
      .sort((a, b) => a.name.localeCompare(b.name));

  return {
    shardCount,
    shard,
    async release(number) {
      const engine = engines.get(number);
      engines.delete(number);
      await engine?.close();
    },
    index: (directory, name, runOptions) =>
      shard(shardOf(name ?? basename(resolve(directory)), shardCount)).index(directory, name, runOptions),
    async search(request) {
      const started = performance.now();
      const shards = targets(request.repos ?? []);
      if (shards.length === 0)
        throw new ConexusError('failed_precondition', 'nothing is indexed yet: run `conexus index <dir>` first');
      const lists = [];
      for (const { number, repos } of shards) lists.push((await shard(number).search({ ...request, repos })).results);
      const results = mergeByScore(lists, request.top ?? 10);
      return { results, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    },
    findSymbols(request) {
      const lists = targets(request.repos ?? []).map(({ number, repos }) =>
        shard(number).findSymbols({ ...request, repos }),
      );
      return lists
        .flat()
        .sort((a, b) => (a.symbol ?? '').length - (b.symbol ?? '').length)
        .slice(0, request.top ?? 20);
    },
    symbolSpan: (repo, path, symbol, line) => holder(repo)?.symbolSpan(repo, path, symbol, line) ?? null,
    hasFile: (repo, path) => holder(repo)?.hasFile(repo, path) ?? false,
    repos: () => listed((engine) => engine.repos()),
    repoRows: () => listed((engine) => engine.repoRows()),
    remove: (name) => holder(name)?.remove(name) ?? false,
    async close() {
      // why: each engine stops its runs as soon as its close is called; the shared pool then ends their batches.
      const closed = Promise.all([...engines.values()].map((engine) => engine.close()));
      await embedPool?.close();
      await closed;
      await searchPool?.close();
      await options.embedder?.close();
    },
  };
}

// why: every shard engine closes its embedder; the model is shared, so only the sharded engine may close it.
function sharedEmbedder(embedder: Embedder): Embedder {
  return {
    id: embedder.id,
    embedDocuments: (texts) => embedder.embedDocuments(texts),
    embedQuery: (text) => embedder.embedQuery(text),
    close: async () => {},
  };
}
