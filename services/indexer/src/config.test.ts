import { describe, expect, it } from '@jest/globals';
import { readIndexerConfig } from './config.js';

const base = { NATS_URL: 'nats://nats:4222', CONEXUS_DATA_DIR: '/data' };

describe('readIndexerConfig', () => {
  it('refuses private git hosts unless told, and reads the allowance', () => {
    expect(readIndexerConfig(base).git).toMatchObject({ allowPrivate: false, allowedNetworks: [] });
    const open = readIndexerConfig({
      ...base,
      CONEXUS_GIT_ALLOW_PRIVATE: 'true',
      CONEXUS_GIT_ALLOWED_NETWORKS: '10.20.0.0/16, fd12::/48',
      CONEXUS_GIT_HOSTS: 'git.internal',
    });
    expect(open.git).toMatchObject({
      allowPrivate: true,
      allowedNetworks: ['10.20.0.0/16', 'fd12::/48'],
      hosts: ['git.internal'],
    });
  });

  it('names every bad git setting in one error', () => {
    expect(() =>
      readIndexerConfig({
        ...base,
        CONEXUS_GIT_ALLOW_PRIVATE: 'yes',
        CONEXUS_GIT_ALLOWED_NETWORKS: '10.0.0.0/33,nope',
        CONEXUS_GIT_HOSTS: 'github.com.,ok.example',
      }),
    ).toThrow(
      /CONEXUS_GIT_HOSTS.*github\.com\..*CONEXUS_GIT_ALLOW_PRIVATE.*CONEXUS_GIT_ALLOWED_NETWORKS.*10\.0\.0\.0\/33.*nope/,
    );
  });

  it('keeps shard snapshots off unless asked, and reads their bucket and copies', () => {
    expect(readIndexerConfig(base).snapshots).toBeNull();
    expect(
      readIndexerConfig({ ...base, CONEXUS_SNAPSHOTS: 'jetstream', CONEXUS_SNAPSHOT_REPLICAS: '3' }).snapshots,
    ).toEqual({ bucket: 'conexus-shard-snapshots', replicas: 3 });
    expect(() => readIndexerConfig({ ...base, CONEXUS_SNAPSHOTS: 's3' })).toThrow(/CONEXUS_SNAPSHOTS/);
    expect(() =>
      readIndexerConfig({ ...base, CONEXUS_SNAPSHOTS: 'jetstream', CONEXUS_SNAPSHOT_REPLICAS: '9' }),
    ).toThrow(/CONEXUS_SNAPSHOT_REPLICAS/);
  });

  it('reads the redelivery backoff', () => {
    expect(
      readIndexerConfig({ ...base, CONEXUS_RETRY_DELAY_MS: '500', CONEXUS_RETRY_MAX_DELAY_MS: '9000' }),
    ).toMatchObject({ retryDelayMs: 500, retryMaxDelayMs: 9_000 });
  });

  it('checks the embedder with the rest of the settings', () => {
    expect(readIndexerConfig(base).embedder).toBe('auto');
    expect(
      readIndexerConfig({
        ...base,
        CONEXUS_EMBEDDER: 'http:nomic-embed-text',
        CONEXUS_EMBEDDING_URL: 'http://ollama:11434/v1',
      }).embedder,
    ).toBe('http:nomic-embed-text');
    expect(readIndexerConfig({ ...base, CONEXUS_EMBEDDER: 'onnx:/models/bge-small-en-v1.5' }).embedder).toBe(
      'onnx:/models/bge-small-en-v1.5',
    );
    expect(() =>
      readIndexerConfig({ ...base, CONEXUS_EMBEDDER: 'http:nomic-embed-text', CONEXUS_SHARDS: '0' }),
    ).toThrow(/CONEXUS_EMBEDDER=http:nomic-embed-text needs CONEXUS_EMBEDDING_URL.*CONEXUS_SHARDS/);
    expect(() => readIndexerConfig({ ...base, CONEXUS_EMBEDDER: 'http:', CONEXUS_EMBEDDING_URL: 'ftp://x' })).toThrow(
      /must name a model.*needs CONEXUS_EMBEDDING_URL/,
    );
    expect(() => readIndexerConfig({ ...base, CONEXUS_EMBEDDER: 'onnx:' })).toThrow(/onnx:PATH must name a model/);
  });
});
