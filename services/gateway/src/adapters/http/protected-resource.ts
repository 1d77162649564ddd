import type { ServerResponse } from 'node:http';

/** The OAuth protected resources this gateway is (RFC 9728): the API, the MCP endpoint, and the authorization server that issues their tokens. */
export interface ProtectedResource {
  /** The API's resource id (the tokens' audience). */
  readonly resource: string;
  /** The MCP endpoint's resource id: its public URL when one is configured, else the API's. */
  readonly mcpResource: string;
  readonly issuer: string;
}

/** Where clients find the metadata document, for the gateway as a whole and for `/mcp`. */
export const METADATA_PATHS = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'];

/** The RFC 9728 metadata document served at one of the metadata paths. */
export function protectedResourceMetadata(resource: ProtectedResource, path: string): Record<string, unknown> {
  return {
    // why: RFC 9728 §3.3: the resource must be the one whose path the well-known suffix was inserted into.
    resource: path === METADATA_PATHS[1] ? resource.mcpResource : resource.resource,
    authorization_servers: [resource.issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'Conexus',
  };
}

/** Answers 401 with a Bearer challenge that points MCP clients at the metadata (RFC 9728 §5.1, RFC 6750 §3). */
export function challenge(
  response: ServerResponse,
  baseUrl: string,
  error: 'missing' | 'invalid_token',
  description: string,
): void {
  const parts = [`resource_metadata="${baseUrl}${METADATA_PATHS[1]}"`];
  if (error === 'invalid_token')
    parts.push('error="invalid_token"', `error_description="${description.replace(/["\\]/g, '')}"`);
  response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer ${parts.join(', ')}` });
  response.end(
    JSON.stringify({ error: error === 'missing' ? 'unauthorized' : 'invalid_token', error_description: description }),
  );
}
