import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { readCliEnv } from './cli-env.js';

it('reads every variable the CLI uses', () => {
  const env = readCliEnv({
    CONEXUS_DATA_DIR: '/data',
    CONEXUS_EMBEDDER: 'none',
    CONEXUS_URL: 'https://gateway.example',
    CONEXUS_TOKEN: 'secret',
    CONEXUS_PORT: '9000',
    CONEXUS_LOG: 'json',
    CONEXUS_DEBUG: '1',
  });
  expect(env).toEqual({
    dataDir: '/data',
    embedder: 'none',
    url: 'https://gateway.example',
    token: 'secret',
    port: '9000',
    jsonLogs: true,
    debug: true,
  });
  expect(Object.isFrozen(env)).toBe(true);
});

it('falls back to the defaults when nothing is set', () => {
  expect(readCliEnv({ XDG_DATA_HOME: '/xdg' })).toEqual({
    dataDir: join('/xdg', 'conexus'),
    embedder: 'auto',
    url: undefined,
    token: undefined,
    port: '7420',
    jsonLogs: false,
    debug: false,
  });
});

it('keeps an empty embedder as given and reads only CONEXUS_LOG=json as JSON logs', () => {
  const env = readCliEnv({ CONEXUS_EMBEDDER: '', CONEXUS_LOG: 'text', CONEXUS_DATA_DIR: '', XDG_DATA_HOME: '/xdg' });
  expect(env).toMatchObject({ embedder: '', jsonLogs: false, dataDir: join('/xdg', 'conexus') });
});
