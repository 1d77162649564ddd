import { availableParallelism } from 'node:os';
import { createChunker } from '@conexus/chunking';
import { openEmbedder, openRecordedEmbedder } from '@conexus/embedding';
import { createShardedEngine, type Engine } from '@conexus/engine';

/** Opens the data directory's engine with the embedder a spec names. */
export async function openEngine(dataDir: string, embedderSpec: string, env: NodeJS.ProcessEnv): Promise<Engine> {
  return (await openIndexingEngine(dataDir, embedderSpec, env)).engine;
}

/** Opens the engine with the embedder a spec names, and says which model that is (null without one). */
export async function openIndexingEngine(
  dataDir: string,
  embedderSpec: string,
  env: NodeJS.ProcessEnv,
): Promise<{ engine: Engine; model: string | null }> {
  const [chunker, embedder] = await Promise.all([createChunker(), openEmbedder(embedderSpec, env)]);
  const engine = createShardedEngine({ dataDir, chunker, embedder, chunkWorkers: availableParallelism() });
  return { engine, model: embedder?.id ?? null };
}

/** Opens the engine for a search over some repositories (all when none are named), with the embedder they were indexed with. */
export async function openEngineForSearch(
  dataDir: string,
  repos: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Engine> {
  // why: queries must be embedded by the model the repositories were indexed with, which only the store knows.
  const chunker = await createChunker();
  const probe = createShardedEngine({ dataDir, chunker });
  const inScope = probe.repos().filter((repo) => repos.length === 0 || repos.includes(repo.name));
  const embedderIds = [...new Set(inScope.map((repo) => repo.embedder).filter((id): id is string => !!id))];
  if (embedderIds.length !== 1) return probe;
  await probe.close();
  return createShardedEngine({ dataDir, chunker, embedder: await openRecordedEmbedder(embedderIds[0]!, env) });
}
