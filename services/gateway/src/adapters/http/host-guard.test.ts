import { describe, expect, it } from '@jest/globals';
import { LOOPBACK_ACCESS, refuseForeignHost } from './host-guard.js';

describe('refuseForeignHost', () => {
  it('admits loopback names with or without a port, over HTTP/1.1 and HTTP/2', () => {
    for (const host of ['localhost', '127.0.0.1:7420', '[::1]:7420', 'LOCALHOST:1', 'localhost.'])
      expect(refuseForeignHost({ host }, LOOPBACK_ACCESS)).toBeNull();
    expect(refuseForeignHost({ ':authority': '127.0.0.1:7420' }, LOOPBACK_ACCESS)).toBeNull();
  });

  it('refuses a rebound name, a missing Host and malformed ones', () => {
    for (const host of [
      'evil.example',
      'evil.example:7420',
      '127.0.0.1.evil.example',
      '127.0.0.1@evil',
      'localhost:7420:1',
      '',
      ' localhost\tx',
    ]) {
      expect(refuseForeignHost({ host }, LOOPBACK_ACCESS)).toMatch(/Host .* is not allowed/);
    }
    expect(refuseForeignHost({}, LOOPBACK_ACCESS)).toMatch(/not allowed/);
  });

  it('refuses a foreign, opaque or malformed Origin even with a loopback Host', () => {
    for (const origin of ['http://evil.example', 'null', 'file://', 'http://localhost.evil.example', 'garbage']) {
      expect(refuseForeignHost({ host: 'localhost:7420', origin }, LOOPBACK_ACCESS)).toMatch(
        /Origin .* is not allowed/,
      );
    }
    expect(refuseForeignHost({ host: 'localhost:7420', origin: 'http://127.0.0.1:3000' }, LOOPBACK_ACCESS)).toBeNull();
  });
});
