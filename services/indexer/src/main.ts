#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { connectNatsBus, tracedBus } from '@conexus/bus';
import { createChunker } from '@conexus/chunking';
import { openEmbedder } from '@conexus/embedding';
import { createShardedEngine } from '@conexus/engine';
import { runService } from '@conexus/service-config';
import { readIndexerConfig } from './config.js';
import { createShardSnapshotter } from './adapters/snapshots/shard-snapshotter.js';
import { startIndexerService } from './indexer-service.js';

await runService({
  name: 'indexer',
  readConfig: readIndexerConfig,
  health: (config) => config.health,
  start: async (config, { log, env }) => {
    const nats = await connectNatsBus({
      servers: config.natsUrl,
      name: `indexer-${config.replica}`,
      settings: { ackWaitMs: config.ackWaitMs, maxDeliveries: config.maxDeliveries },
    });
    const bus = tracedBus(nats);
    const [chunker, embedder] = await Promise.all([createChunker(), openEmbedder(config.embedder, env)]);
    const engines = createShardedEngine({
      dataDir: config.dataDir,
      chunker,
      embedder,
      shardCount: config.shardCount,
      chunkWorkers: availableParallelism(),
      searchThreads: config.searchThreads,
    });
    const snapshots = config.snapshots
      ? createShardSnapshotter(
          await nats.blobStore(config.snapshots.bucket, { replicas: config.snapshots.replicas }),
          config.dataDir,
        )
      : undefined;
    const service = await startIndexerService({
      bus,
      engines,
      snapshots,
      replica: config.replica,
      heartbeatMs: config.heartbeatMs,
      redelivery: {
        firstDelayMs: config.retryDelayMs,
        maxDelayMs: config.retryMaxDelayMs,
        maxDeliveries: config.maxDeliveries,
      },
      log: log.child({ replica: config.replica }),
      sources: {
        pathRoots: config.sourceRoots,
        git: config.git,
        fetchLimits: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
        gitCaFile: config.gitCaFile,
        checkoutsDir: join(config.dataDir, 'checkouts'),
      },
    });
    log.info('indexer started', {
      replica: config.replica,
      shards: config.shardCount,
      snapshots: config.snapshots?.bucket ?? 'off',
    });
    return {
      ready: () => nats.connected(),
      async stop() {
        await service.stop();
        await bus.close();
        await engines.close();
      },
    };
  },
});
