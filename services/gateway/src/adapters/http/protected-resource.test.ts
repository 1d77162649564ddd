import { describe, expect, it } from '@jest/globals';
import { METADATA_PATHS, protectedResourceMetadata } from './protected-resource.js';

describe('protected resource metadata', () => {
  const resource = {
    resource: 'https://conexus.example/api',
    mcpResource: 'https://conexus.example/mcp',
    issuer: 'https://idp.example',
  };

  it('names the resource whose path the well-known suffix was inserted into (RFC 9728 §3.3)', () => {
    expect(protectedResourceMetadata(resource, METADATA_PATHS[0]!)).toMatchObject({
      resource: 'https://conexus.example/api',
      authorization_servers: ['https://idp.example'],
    });
    expect(protectedResourceMetadata(resource, METADATA_PATHS[1]!)).toMatchObject({
      resource: 'https://conexus.example/mcp',
      bearer_methods_supported: ['header'],
    });
  });
});
