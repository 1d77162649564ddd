import { describe, expect, it } from '@jest/globals';
import { readIndexerConfig } from './config.js';

const base = { NATS_URL: 'nats://nats:4222', CONEXUS_DATA_DIR: '/data' };

describe('readIndexerConfig', () => {
  it('refuses private git hosts unless told, and reads the allowance', () => {
    expect(readIndexerConfig(base).git).toMatchObject({ allowPrivate: false, allowedNetworks: [] });
    const open = readIndexerConfig({ ...base, CONEXUS_GIT_ALLOW_PRIVATE: 'true', CONEXUS_GIT_ALLOWED_NETWORKS: '10.20.0.0/16, fd12::/48', CONEXUS_GIT_HOSTS: 'git.internal' });
    expect(open.git).toMatchObject({ allowPrivate: true, allowedNetworks: ['10.20.0.0/16', 'fd12::/48'], hosts: ['git.internal'] });
  });

  it('names every bad git setting in one error', () => {
    expect(() => readIndexerConfig({ ...base, CONEXUS_GIT_ALLOW_PRIVATE: 'yes', CONEXUS_GIT_ALLOWED_NETWORKS: '10.0.0.0/33,nope', CONEXUS_GIT_HOSTS: 'github.com.,ok.example' })).toThrow(
      /CONEXUS_GIT_HOSTS.*github\.com\..*CONEXUS_GIT_ALLOW_PRIVATE.*CONEXUS_GIT_ALLOWED_NETWORKS.*10\.0\.0\.0\/33.*nope/,
    );
  });

  it('reads the redelivery backoff', () => {
    expect(readIndexerConfig({ ...base, CONEXUS_RETRY_DELAY_MS: '500', CONEXUS_RETRY_MAX_DELAY_MS: '9000' })).toMatchObject({ retryDelayMs: 500, retryMaxDelayMs: 9_000 });
  });
});
