import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { IndexState, type SearchResult } from '@conexus/api';
import { RESULT_UNITS, type GatewayClient } from '@conexus/client';
import { describeFailure } from './describe-failure.js';
import { showControls, showName } from '@conexus/kernel';
import { renderLocations, type CodeLocation } from './render-text.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
const CHARS_PER_TOKEN = 4;

const location = z.object({
  repo: z.string(),
  path: z.string(),
  start_line: z.number().int(),
  end_line: z.number().int(),
  symbol: z.string().optional(),
  kind: z.string().optional(),
  score: z.number().optional(),
  commit: z.string(),
  text: z.string().optional(),
});

// why: the gateway builds a server per HTTP request; the tool definitions (zod schemas above all) are built once and shared.
const SEARCH_CODE = {
  title: 'Search code',
  description:
    'Finds the code that matters for a question, issue text, stack trace or identifier across the indexed repositories. ' +
    'Returns ranked chunks (or symbols, or files) with repo, path, line range and commit, fitted into max_tokens.',
  inputSchema: z.object({
    query: z.string().min(1).max(20_000).describe('A question, issue text, error message or identifiers'),
    repos: z.array(z.string()).optional().describe('Repositories to search; all when omitted'),
    unit: z.enum(['chunk', 'symbol', 'file']).optional().describe('What to rank and return (default chunk)'),
    top_k: z.number().int().min(1).max(50).optional().describe('Results to return (default 10)'),
    max_tokens: z.number().int().min(100).max(100_000).optional().describe('Budget for returned code (default 6000)'),
  }),
  outputSchema: z.object({ results: z.array(location), partial: z.boolean(), tokens: z.number().int() }),
  annotations: READ_ONLY,
};
const READ_FILE = {
  title: 'Read file',
  description:
    'Reads lines of an indexed file at the indexed commit (or a given one). Long answers end at a line boundary and say where to continue.',
  inputSchema: z.object({
    repo: z.string().min(1),
    path: z.string().min(1),
    start_line: z.number().int().min(1).optional(),
    end_line: z.number().int().min(1).optional(),
    commit: z.string().optional(),
    max_tokens: z
      .number()
      .int()
      .min(100)
      .max(100_000)
      .optional()
      .describe('Budget for the returned lines (default 8000)'),
  }),
  outputSchema: location.extend({
    total_lines: z.number().int(),
    truncated: z.boolean(),
    next_start_line: z.number().int().optional(),
  }),
  annotations: READ_ONLY,
};
const FIND_SYMBOL = {
  title: 'Find symbol',
  description:
    'Finds definitions by name ("Cart.total", "total") or pattern with * wildcards, optionally of one kind (function, method, class, ...).',
  inputSchema: z.object({
    name: z.string().min(1).max(200),
    kind: z.string().optional(),
    repos: z.array(z.string()).optional(),
    top_k: z.number().int().min(1).max(100).optional(),
  }),
  outputSchema: z.object({ symbols: z.array(location) }),
  annotations: READ_ONLY,
};
const LIST_REPOS = {
  title: 'List repositories',
  description: 'Lists the indexed repositories with their commit, file and chunk counts.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    repos: z.array(
      z.object({
        name: z.string(),
        commit: z.string(),
        files: z.number().int(),
        chunks: z.number().int(),
        indexed_at: z.string(),
      }),
    ),
    partial: z.boolean(),
  }),
  annotations: READ_ONLY,
};
const INDEX_STATUS = {
  title: 'Index status',
  description: 'Says whether a repository is queued, being indexed, done (with its commit) or failed (with why).',
  inputSchema: z.object({ repo: z.string().min(1) }),
  outputSchema: z.object({
    repo: z.string(),
    state: z.string(),
    commit: z.string(),
    chunks: z.number().int(),
    error: z.string(),
    at: z.string(),
  }),
  annotations: READ_ONLY,
};

/** An MCP server whose read-only tools answer from a Conexus gateway. */
export function createConexusMcpServer(gateway: GatewayClient, version: string): McpServer {
  const server = new McpServer({ name: 'conexus', version }, { capabilities: { tools: {} } });

  server.registerTool('search_code', SEARCH_CODE, ({ query, repos, unit, top_k, max_tokens }) =>
    answer(async () => {
      const response = await gateway.context.search({
        query,
        repos: repos ?? [],
        unit: RESULT_UNITS[unit ?? 'chunk'],
        topK: top_k ?? 10,
        maxTokens: max_tokens ?? 6000,
      });
      const results = response.results.map(toLocation);
      const note = response.partial
        ? `\n\n(partial: shards ${response.missingShards.join(', ')} did not answer in time)`
        : '';
      return {
        structured: { results, partial: response.partial, tokens: response.tokens },
        text: renderLocations(results, 'No matching code.') + note,
      };
    }),
  );

  server.registerTool('read_file', READ_FILE, ({ repo, path, start_line, end_line, commit, max_tokens }) =>
    answer(async () => {
      const file = await gateway.context.getFile({
        repo,
        path,
        startLine: start_line ?? 0,
        endLine: end_line ?? 0,
        commit: commit ?? '',
      });
      const budget = (max_tokens ?? 8000) * CHARS_PER_TOKEN;
      const lines = file.text.replace(/\n$/, '').split('\n');
      let used = 0;
      let kept = 0;
      while (kept < lines.length && used + lines[kept]!.length + 1 <= budget) used += lines[kept++]!.length + 1;
      kept = Math.max(kept, Math.min(1, lines.length));
      const truncated = kept < lines.length;
      const endLine = file.startLine + kept - 1;
      const structured = {
        repo: file.repo,
        path: file.path,
        start_line: file.startLine,
        end_line: endLine,
        commit: file.commit,
        text: `${lines.slice(0, kept).join('\n')}\n`,
        total_lines: file.totalLines,
        truncated,
        ...(truncated ? { next_start_line: endLine + 1 } : {}),
      };
      const more = truncated
        ? `\n\n(truncated at line ${endLine} of ${file.totalLines}; continue with start_line ${endLine + 1})`
        : '';
      return { structured, text: renderLocations([structured], '') + more };
    }),
  );

  server.registerTool('find_symbol', FIND_SYMBOL, ({ name, kind, repos, top_k }) =>
    answer(async () => {
      const response = await gateway.context.findSymbol({
        name,
        kind: kind ?? '',
        repos: repos ?? [],
        topK: top_k ?? 20,
      });
      const symbols = response.symbols.map(toLocation);
      return { structured: { symbols }, text: renderLocations(symbols, `No definition of ${showName(name)}.`) };
    }),
  );

  server.registerTool('list_repos', LIST_REPOS, () =>
    answer(async () => {
      const response = await gateway.context.listRepos({});
      const repos = response.repos.map((repo) => ({
        name: repo.name,
        commit: repo.commit,
        files: repo.files,
        chunks: repo.chunks,
        indexed_at: repo.indexedAt,
      }));
      const text =
        repos.length === 0
          ? 'No repositories are indexed yet.'
          : repos
              .map(
                (repo) =>
                  `${showName(repo.name)} @ ${showName(repo.commit.slice(0, 12)) || '(no commit)'}: ${repo.files} files, ${repo.chunks} chunks, indexed ${showName(repo.indexed_at)}`,
              )
              .join('\n');
      return { structured: { repos, partial: response.partial }, text };
    }),
  );

  server.registerTool('index_status', INDEX_STATUS, ({ repo }) =>
    answer(async () => {
      const event = (await gateway.index.getIndexStatus({ repo })).event;
      const structured = {
        repo,
        state: IndexState[event?.state ?? IndexState.UNSPECIFIED].toLowerCase(),
        commit: event?.commit ?? '',
        chunks: event?.chunks ?? 0,
        error: event?.error ?? '',
        at: event?.at ?? '',
      };
      const text = `${showName(repo)}: ${structured.state}${structured.commit ? ` at ${showName(structured.commit.slice(0, 12))}` : ''}${structured.error ? ` (${showControls(structured.error)})` : ''}`;
      return { structured, text };
    }),
  );

  return server;
}

function toLocation(result: SearchResult): CodeLocation & { score: number } {
  return {
    repo: result.repo,
    path: result.path,
    start_line: result.startLine,
    end_line: result.endLine,
    ...(result.symbol ? { symbol: result.symbol } : {}),
    ...(result.kind ? { kind: result.kind } : {}),
    score: result.score,
    commit: result.commit,
    ...(result.text ? { text: result.text } : {}),
  };
}

// why: a failed call is a tool result the model can read and act on, not a protocol error; every tool says its
// failure the same way, and only a truly unexpected one is an internal error.
async function answer(work: () => Promise<{ structured: Record<string, unknown>; text: string }>) {
  try {
    const { structured, text } = await work();
    return { content: [{ type: 'text' as const, text }], structuredContent: structured };
  } catch (error) {
    return { content: [{ type: 'text' as const, text: describeFailure(error) }], isError: true };
  }
}
