import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { create, fromBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState, RepoSourceSchema, type IndexEvent } from '@conexus/api';
import { createInProcessBus, tracedBus } from '@conexus/bus';
import { createChunker } from '@conexus/chunking';
import { openEmbedder } from '@conexus/embedding';
import { createShardedEngine } from '@conexus/engine';
import {
  AUTHENTICATE_LOCAL_USER,
  enqueueIndexJob,
  LOOPBACK_ACCESS,
  startGateway,
  type Gateway,
} from '@conexus/gateway';
import {
  checkSource,
  DEFAULT_FETCH_LIMITS,
  DEFAULT_GIT_URL_POLICY,
  startIndexerService,
  type SourcePolicy,
} from '@conexus/indexer';
import { ConexusError } from '@conexus/kernel';
import { SINGLE_USER_SCOPE, startQueryService } from '@conexus/query';
import { ALL_INDEX_EVENTS } from '@conexus/wire';
import type { Logger } from '@conexus/telemetry';
import { watchFolder, type FolderWatch } from './watch-folder.js';

/** How the embedded server runs. */
export interface EmbeddedServerOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** Directories to index (or re-index) once the server is up. */
  readonly index: readonly string[];
  /** Directories AddRepo may index besides the `index` folders and the working directory. */
  readonly sourceRoots?: readonly string[];
  readonly embedderSpec: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** Called with every index progress event, e.g. to print it. */
  readonly onIndexEvent?: (event: IndexEvent) => void;
  /** Re-index each `index` folder incrementally when files in it change (off unless asked for). */
  readonly watch?: boolean;
}

/** A folder the server was started on: its repository name and its root, the real path that was indexed. */
export interface ProjectRepo {
  readonly repo: string;
  readonly root: string;
}

/** The embedded server: gateway, query and an indexer owning every shard, in one process on the in-process bus. */
export interface EmbeddedServer {
  readonly gateway: Gateway;
  /** The `index` folders, in the order given. */
  readonly projects: readonly ProjectRepo[];
  /** Queues an index job for a directory, named after it. */
  index(directory: string, name?: string): Promise<{ jobId: string; repo: string }>;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts the embedded server; it refuses to listen beyond loopback, since it has no authentication. */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  if (!LOOPBACK.has(options.host)) {
    throw new ConexusError(
      'invalid_argument',
      `the embedded server has no authentication and listens on loopback only, not ${options.host}`,
    );
  }
  const [chunker, embedder] = await Promise.all([createChunker(), openEmbedder(options.embedderSpec, options.env)]);
  const engines = createShardedEngine({
    dataDir: options.dataDir,
    chunker,
    embedder,
    chunkWorkers: availableParallelism(),
    searchThreads: availableParallelism(),
  });
  const bus = tracedBus(createInProcessBus());
  const settling = new Map<string, () => void>();
  const events = bus.subscribe(ALL_INDEX_EVENTS, (message) => {
    const event = fromBinary(IndexEventSchema, message.data);
    options.onIndexEvent?.(event);
    if (SETTLED.has(event.state)) settling.get(event.jobId)?.();
  });
  // why: AddRepo reaches this server from any local process (and MCP clients); it may read only what it was started on.
  const sources: SourcePolicy = {
    pathRoots: [...options.index, process.cwd(), ...(options.sourceRoots ?? [])],
    git: DEFAULT_GIT_URL_POLICY,
    fetchLimits: DEFAULT_FETCH_LIMITS,
    checkoutsDir: join(options.dataDir, 'checkouts'),
  };
  const indexer = await startIndexerService({
    bus,
    engines,
    replica: 'embedded',
    solo: true,
    log: options.log,
    sources,
  });
  const query = startQueryService({ bus, scope: SINGLE_USER_SCOPE, shardCount: engines.shardCount, log: options.log });
  let gateway: Gateway;
  try {
    gateway = await startGateway({
      bus,
      shardCount: engines.shardCount,
      port: options.port,
      host: options.host,
      authenticate: AUTHENTICATE_LOCAL_USER,
      access: 'none',
      log: options.log,
      hosts: LOOPBACK_ACCESS,
      mcp: LOOPBACK_ACCESS,
      checkSource: (source) => checkSource(source, sources),
    });
  } catch (error) {
    await Promise.all([query.stop(), indexer.stop(), events.unsubscribe()]);
    await engines.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConexusError('unavailable', `port ${options.port} is in use: pass --port`);
    throw error;
  }
  const enqueue = async (root: string, repo: string) => {
    const source = create(RepoSourceSchema, { source: { case: 'path', value: root } });
    return (await enqueueIndexJob(bus, engines.shardCount, repo, source)).jobId;
  };
  const index = async (directory: string, name?: string) => {
    const { repo, root } = projectOf(directory, name);
    return { jobId: await enqueue(root, repo), repo };
  };
  // why: the queue hands a job to the indexer on a later turn and the run does I/O before it settles, so the
  // waiter is always registered before its job's last event.
  const reindexAndWait = async ({ repo, root }: ProjectRepo): Promise<void> => {
    const jobId = await enqueue(root, repo);
    await new Promise<void>((resolve) => settling.set(jobId, resolve));
    settling.delete(jobId);
  };
  const watches: FolderWatch[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(watches.map((watch) => watch.close()));
    for (const resolve of settling.values()) resolve();
    await gateway.stop();
    await query.stop();
    await indexer.stop();
    await events.unsubscribe();
    await bus.close();
    await engines.close();
  };
  const projects: ProjectRepo[] = [];
  try {
    for (const directory of options.index) {
      const project = projectOf(directory);
      await enqueue(project.root, project.repo);
      projects.push(project);
    }
    for (const project of options.watch ? projects : []) {
      const onError = (error: unknown): void => options.log.warn('watching failed', { repo: project.repo, error });
      // why: a folder that cannot be watched (no inotify watches left, say) is still served; only freshness is lost.
      const watch = await watchFolder({
        directory: project.root,
        reindex: () => reindexAndWait(project),
        exclude: [realpathSync(options.dataDir)],
        onError,
      }).catch(onError);
      if (watch) watches.push(watch);
    }
  } catch (error) {
    // why: a bad --index folder must not leave the port and the data directory held by a half-started server.
    await stop();
    throw error;
  }
  return { gateway, projects, index, stop };
}

// why: EMBEDDING means the lexical snapshot has committed; a watcher's next run may start, and finds it current.
const SETTLED = new Set([IndexState.DONE, IndexState.FAILED, IndexState.EMBEDDING]);

function projectOf(directory: string, name?: string): ProjectRepo {
  let root: string;
  try {
    root = realpathSync(directory);
  } catch {
    throw new ConexusError('not_found', `no such directory: ${directory}`);
  }
  return { repo: name ?? basename(root), root };
}
