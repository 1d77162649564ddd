import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { ContextService } from '@conexus/api';

/** One search a probe runs against a gateway. */
export interface SearchProbe {
  readonly url: string;
  readonly query: string;
  /** Search this repository only; absent, every repository the caller may read. */
  readonly repo?: string;
  /** A bearer token or a `cxk_` API key (both go as `Authorization: Bearer`). */
  readonly token?: string;
  /** PEM authorities to check an https gateway's certificate against; absent, the system's. */
  readonly ca?: string;
  readonly timeoutMs?: number;
}

/** What a probe found: a one-line summary, and whether it passed (at least one hit). */
export interface SearchProbeResult {
  readonly ok: boolean;
  readonly summary: string;
}

/** Runs one real Search over Connect (HTTP/1.1, TLS when the URL is https); rejects when the call fails. */
export async function probeSearch(probe: SearchProbe): Promise<SearchProbeResult> {
  const transport = createConnectTransport({
    baseUrl: probe.url,
    httpVersion: '1.1',
    nodeOptions: probe.ca ? { ca: probe.ca } : {},
    interceptors: probe.token
      ? [(next) => (request) => (request.header.set('authorization', `Bearer ${probe.token}`), next(request))]
      : [],
  });
  const started = Date.now();
  const response = await createClient(ContextService, transport).search(
    { query: probe.query, repos: probe.repo ? [probe.repo] : [], topK: 5 },
    { timeoutMs: probe.timeoutMs ?? 30_000 },
  );
  const top = response.results[0];
  const where = top ? `; top ${top.repo}:${top.path}:${top.startLine}` : '';
  const partial = response.partial ? ` (partial: shards ${response.missingShards.join(',')} missing)` : '';
  return {
    ok: response.results.length > 0,
    summary: `${response.results.length} hit(s) for "${probe.query}" in ${Date.now() - started} ms${where}${partial}`,
  };
}
