import { z } from 'zod';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
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
/** The search code tool's definition. */
export const SEARCH_CODE = {
  title: 'Search code',
  description:
    'Finds the code that matters for a question, issue text, stack trace or identifier across the indexed repositories. ' +
    'Returns ranked chunks (or symbols, or files) with repo, path, line range and commit, fitted into max_tokens.',
  inputSchema: z.object({
    query: z.string().min(1).max(20_000).describe('A question, issue text, error message or identifiers'),
    repos: z
      .array(z.string())
      .optional()
      .describe("Repositories to search; when omitted, the project's own (or every one, where no project is set)"),
    unit: z.enum(['chunk', 'symbol', 'file']).optional().describe('What to rank and return (default chunk)'),
    top_k: z.number().int().min(1).max(50).optional().describe('Results to return (default 10)'),
    max_tokens: z.number().int().min(100).max(100_000).optional().describe('Budget for returned code (default 6000)'),
  }),
  outputSchema: z.object({
    results: z.array(location),
    partial: z.boolean(),
    tokens: z.number().int(),
    notice: z.string().optional(),
  }),
  annotations: READ_ONLY,
};
/** The read file tool's definition. */
export const READ_FILE = {
  title: 'Read file',
  description:
    'Reads lines of an indexed file at the indexed commit (or a given one), by the path search_code shows. ' +
    'Long answers end at a line boundary and say where to continue.',
  inputSchema: z.object({
    repo: z.string().min(1).optional().describe("The file's repository; the project's own when omitted"),
    path: z.string().min(1).describe('Relative to the repository root, as search_code shows it'),
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
/** The find symbol tool's definition. */
export const FIND_SYMBOL = {
  title: 'Find symbol',
  description:
    'Finds definitions by name ("Cart.total", "total") or pattern with * wildcards, optionally of one kind (function, method, class, ...).',
  inputSchema: z.object({
    name: z.string().min(1).max(200),
    kind: z.string().optional(),
    repos: z
      .array(z.string())
      .optional()
      .describe("Repositories to search; when omitted, the project's own (or every one, where no project is set)"),
    top_k: z.number().int().min(1).max(100).optional(),
  }),
  outputSchema: z.object({ symbols: z.array(location), notice: z.string().optional() }),
  annotations: READ_ONLY,
};
/** The list repos tool's definition. */
export const LIST_REPOS = {
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
/** The index status tool's definition. */
export const INDEX_STATUS = {
  title: 'Index status',
  description:
    'Says whether a repository is queued, being indexed or embedded (with percent done), done (with its commit) or failed (with why).',
  inputSchema: z.object({
    repo: z.string().min(1).optional().describe("The repository; the project's own when omitted"),
  }),
  outputSchema: z.object({
    repo: z.string(),
    state: z.string(),
    percent: z.number().int().optional(),
    progress: z
      .object({ done: z.number(), total: z.number(), per_second: z.number(), eta_seconds: z.number() })
      .optional(),
    commit: z.string(),
    chunks: z.number().int(),
    error: z.string(),
    at: z.string(),
  }),
  annotations: READ_ONLY,
};

/** The reindex tool's definition. */
export const REINDEX = {
  title: 'Re-index',
  description:
    'Queues an incremental re-index of a repository (only changed files are read again); index_status follows it.',
  inputSchema: z.object({
    repo: z.string().min(1).optional().describe("The repository; the project's own when omitted"),
  }),
  outputSchema: z.object({ repo: z.string(), job_id: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};
