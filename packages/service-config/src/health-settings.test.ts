import { expect, it } from '@jest/globals';
import { readEnv } from './env-reader.js';
import { readHealthSettings } from './health-settings.js';

it('reads the health port (off by default) and host, reporting a bad port with the other problems', () => {
  const defaults = readEnv({});
  expect(defaults.finish(readHealthSettings(defaults))).toEqual({ port: 0, host: '0.0.0.0' });
  const set = readEnv({ CONEXUS_HEALTH_PORT: '8081', CONEXUS_HEALTH_HOST: '127.0.0.1' });
  expect(set.finish(readHealthSettings(set))).toEqual({ port: 8081, host: '127.0.0.1' });
  const bad = readEnv({ CONEXUS_HEALTH_PORT: '70000' });
  const config = { health: readHealthSettings(bad), url: bad.string('NATS_URL') };
  expect(() => bad.finish(config)).toThrow(
    /CONEXUS_HEALTH_PORT must be an integer ≥ 0 ≤ 65535, got "70000"; NATS_URL is required/,
  );
});
