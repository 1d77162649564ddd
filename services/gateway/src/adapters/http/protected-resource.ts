import type { ServerResponse } from 'node:http';

/** The OAuth protected resource this gateway is (RFC 9728): its resource id and the authorization server that issues its tokens. */
export interface ProtectedResource {
  readonly resource: string;
  readonly issuer: string;
}

/** Where clients find the metadata document, for the gateway as a whole and for `/mcp`. */
export const METADATA_PATHS = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'];

/** The RFC 9728 metadata document. */
export function protectedResourceMetadata(resource: ProtectedResource): Record<string, unknown> {
  return {
    resource: resource.resource,
    authorization_servers: [resource.issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'Conexus',
  };
}

/** Answers 401 with a Bearer challenge that points MCP clients at the metadata (RFC 9728 §5.1, RFC 6750 §3). */
export function challenge(response: ServerResponse, baseUrl: string, error: 'missing' | 'invalid_token', description: string): void {
  const parts = [`resource_metadata="${baseUrl}${METADATA_PATHS[1]}"`];
  if (error === 'invalid_token') parts.push('error="invalid_token"', `error_description="${description.replace(/["\\]/g, '')}"`);
  response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer ${parts.join(', ')}` });
  response.end(JSON.stringify({ error: error === 'missing' ? 'unauthorized' : 'invalid_token', error_description: description }));
}
