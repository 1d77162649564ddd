import { expect, it } from '@jest/globals';
import { readEnv } from './env-reader.js';

it('parses typed settings and reports every bad variable at once', () => {
  const good = readEnv({ PORT: '8080', HOSTS: 'a.com, b.com,', MODE: 'none' });
  expect(
    good.finish({
      port: good.integer('PORT', 7420, { min: 1 }),
      hosts: good.list('HOSTS', []),
      mode: good.oneOf('MODE', ['none', 'oidc']),
    }),
  ).toEqual({
    port: 8080,
    hosts: ['a.com', 'b.com'],
    mode: 'none',
  });
  const bad = readEnv({ PORT: 'eighty', MODE: 'ldap' });
  const config = {
    port: bad.integer('PORT', 7420),
    url: bad.string('NATS_URL'),
    mode: bad.oneOf('MODE', ['none', 'oidc']),
  };
  expect(() => bad.finish(config)).toThrow(
    /PORT must be an integer, got "eighty"; NATS_URL is required; MODE must be one of none, oidc, got "ldap"/,
  );
});
