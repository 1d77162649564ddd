/** One result of a search, as the gateway's JSON API returns it. */
export interface CodeHit {
  readonly repo: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol?: string;
  readonly kind?: string;
  readonly commit?: string;
  readonly text?: string;
}

/** Where the gateway is and how to sign in to it. */
export interface GatewaySettings {
  readonly url: string;
  readonly token: string;
}

/** The address of `path` (no leading slash) on the gateway, whether or not the setting ends in `/`. */
export function gatewayUrl(settings: GatewaySettings, path: string): string {
  return `${settings.url.replace(/\/$/, '')}/${path}`;
}

/** The header that signs a request in, or none when no token is set. */
export function authHeaders(settings: GatewaySettings): Record<string, string> {
  return settings.token ? { Authorization: `Bearer ${settings.token}` } : {};
}

/** Calls a Connect JSON method of the gateway; a failure carries the gateway's message. */
export async function callGateway<T>(settings: GatewaySettings, method: string, body: unknown): Promise<T> {
  const send = () =>
    fetch(gatewayUrl(settings, method), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(settings) },
      body: JSON.stringify(body),
    });
  // why: a kept-alive connection the server is closing fails the request before it is sent; these calls
  // only read, so one retry on a network error is safe.
  const response = await send().catch(send);
  const json = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(json.message ?? `the gateway answered ${response.status}`);
  return json;
}

/** Searches the gateway for code. */
export async function searchCode(settings: GatewaySettings, query: string): Promise<CodeHit[]> {
  const answer = await callGateway<{ results?: CodeHit[] }>(settings, 'conexus.v1.ContextService/Search', {
    query,
    topK: 20,
    unit: 'RESULT_UNIT_CHUNK',
  });
  return answer.results ?? [];
}

/** Lists the indexed repositories. */
export async function listRepos(settings: GatewaySettings): Promise<{ name: string; commit?: string }[]> {
  return (
    (
      await callGateway<{ repos?: { name: string; commit?: string }[] }>(
        settings,
        'conexus.v1.ContextService/ListRepos',
        {},
      )
    ).repos ?? []
  );
}

/** Reads an indexed file. */
export async function readFile(settings: GatewaySettings, repo: string, path: string): Promise<string> {
  return (
    (await callGateway<{ text?: string }>(settings, 'conexus.v1.ContextService/GetFile', { repo, path })).text ?? ''
  );
}
