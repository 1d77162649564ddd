import { isAbsolute, relative } from 'node:path';
import { McpServer } from '@modelcontextprotocol/server';
import { Code, ConnectError } from '@connectrpc/connect';
import { IndexState, type IndexEvent, type SearchResult } from '@conexus/api';
import { RESULT_UNITS, type GatewayClient } from '@conexus/client';
import { ConexusError, showControls, showName } from '@conexus/kernel';
import { describeFailure } from './describe-failure.js';
import { indexNotice, percentDone, withNotice, type IndexNotice, type McpProject } from './index-notice.js';
import { renderLocations, type CodeLocation } from './render-text.js';
import { FIND_SYMBOL, INDEX_STATUS, LIST_REPOS, READ_FILE, REINDEX, SEARCH_CODE } from './tool-definitions.js';

const CHARS_PER_TOKEN = 4;

/** How the MCP server runs. */
export interface ConexusMcpOptions {
  /**
   * The repository the server was started for: search_code and find_symbol search it unless given repos, the
   * other tools default to it, and answers say first when its index is not complete.
   */
  readonly project?: McpProject;
}

/** An MCP server whose tools answer from a Conexus gateway, scoped to a project when it has one. */
export function createConexusMcpServer(
  gateway: GatewayClient,
  version: string,
  options: ConexusMcpOptions = {},
): McpServer {
  const { project } = options;
  const instructions = project
    ? `Code of the repository ${project.repo} at ${project.root}; paths are relative to that root. ` +
      'search_code and find_symbol search it unless given repos (list_repos names the others).'
    : undefined;
  const server = new McpServer({ name: 'conexus', version }, { capabilities: { tools: {} }, instructions });
  const repoOr = (repo: string | undefined): string => {
    if (repo) return repo;
    if (project) return project.repo;
    throw new ConexusError('invalid_argument', 'name a repository (see list_repos)');
  };
  // why: with a project, an unnamed scope is the project alone; while its index is incomplete, answers say so
  // first, and a project with no snapshot yet answers with nothing rather than with other repositories' code.
  const scoped = async <T>(
    repos: readonly string[] | undefined,
    run: (repos: string[]) => Promise<T>,
  ): Promise<{ value: T | null; notice: IndexNotice | null }> => {
    if (!project || (repos?.length && !repos.includes(project.repo))) {
      return { value: await run([...(repos ?? [])]), notice: null };
    }
    const [event, outcome] = await Promise.all([
      statusOf(gateway, project.repo),
      run(repos?.length ? [...repos] : [project.repo]).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ]);
    const notice = indexNotice(event, project);
    if (outcome.ok) return { value: outcome.value, notice };
    if (notice?.incomplete && isNotFound(outcome.error)) return { value: null, notice };
    throw outcome.error;
  };

  server.registerTool('search_code', SEARCH_CODE, ({ query, repos, unit, top_k, max_tokens }) =>
    answer(async () => {
      const { value: response, notice } = await scoped(repos, (names) =>
        gateway.context.search({
          query,
          repos: names,
          unit: RESULT_UNITS[unit ?? 'chunk'],
          topK: top_k ?? 10,
          maxTokens: max_tokens ?? 6000,
        }),
      );
      const results = (response?.results ?? []).map(toLocation);
      const note = response?.partial
        ? `\n\n(partial: shards ${response.missingShards.join(', ')} did not answer in time)`
        : '';
      const none = notice?.incomplete ? 'No matching code yet.' : 'No matching code.';
      return {
        structured: {
          results,
          partial: (response?.partial ?? false) || (notice?.incomplete ?? false),
          tokens: response?.tokens ?? 0,
          ...(notice ? { notice: notice.text } : {}),
        },
        text: withNotice(notice, renderLocations(results, none, project?.repo) + note),
      };
    }),
  );

  server.registerTool('read_file', READ_FILE, ({ repo, path, start_line, end_line, commit, max_tokens }) =>
    answer(async () => {
      const file = await gateway.context.getFile({
        repo: repoOr(repo),
        path: repoPath(path, project),
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
      return { structured, text: renderLocations([structured], '', project?.repo) + more };
    }),
  );

  server.registerTool('find_symbol', FIND_SYMBOL, ({ name, kind, repos, top_k }) =>
    answer(async () => {
      const { value: response, notice } = await scoped(repos, (names) =>
        gateway.context.findSymbol({ name, kind: kind ?? '', repos: names, topK: top_k ?? 20 }),
      );
      const symbols = (response?.symbols ?? []).map(toLocation);
      const none = `No definition of ${showName(name)}${notice?.incomplete ? ' yet' : ''}.`;
      return {
        structured: { symbols, ...(notice ? { notice: notice.text } : {}) },
        text: withNotice(notice, renderLocations(symbols, none, project?.repo)),
      };
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
                  `${showName(repo.name)} @ ${showName(repo.commit.slice(0, 12)) || '(no commit)'}: ${repo.files} files, ${repo.chunks} chunks, indexed ${showName(repo.indexed_at)}` +
                  (repo.name === project?.repo ? ` (this project, at ${showName(project.root)})` : ''),
              )
              .join('\n');
      return { structured: { repos, partial: response.partial }, text };
    }),
  );

  server.registerTool('index_status', INDEX_STATUS, ({ repo: named }) =>
    answer(async () => {
      const repo = repoOr(named);
      const event = await statusOf(gateway, repo);
      const percent = percentDone(event?.progress);
      const progress = event?.progress;
      const structured = {
        repo,
        state: IndexState[event?.state ?? IndexState.UNSPECIFIED].toLowerCase(),
        ...(percent === undefined ? {} : { percent }),
        ...(progress && progress.total > 0
          ? {
              progress: {
                done: progress.done,
                total: progress.total,
                per_second: progress.perSecond,
                eta_seconds: progress.etaSeconds,
              },
            }
          : {}),
        commit: event?.commit ?? '',
        chunks: event?.chunks ?? 0,
        error: event?.error ?? '',
        at: event?.at ?? '',
      };
      const done = percent === undefined ? '' : `, ${percent} %`;
      const eta = progress?.etaSeconds ? `, about ${Math.ceil(progress.etaSeconds)} s left` : '';
      const text = `${showName(repo)}: ${structured.state}${done}${eta}${structured.commit ? ` at ${showName(structured.commit.slice(0, 12))}` : ''}${structured.error ? ` (${showControls(structured.error)})` : ''}`;
      return { structured, text };
    }),
  );

  server.registerTool('reindex', REINDEX, ({ repo: named }) =>
    answer(async () => {
      const repo = repoOr(named);
      const { jobId } = await gateway.index.reindex({ repo });
      return {
        structured: { repo, job_id: jobId },
        text: `Queued an incremental re-index of ${showName(repo)} (job ${showName(jobId)}); index_status follows it.`,
      };
    }),
  );

  return server;
}

async function statusOf(gateway: GatewayClient, repo: string): Promise<IndexEvent | undefined> {
  return (await gateway.index.getIndexStatus({ repo })).event;
}

function isNotFound(error: unknown): boolean {
  if (error instanceof ConnectError) return error.code === Code.NotFound;
  return error instanceof ConexusError && error.code === 'not_found';
}

// why: an agent may pass back a path it holds as absolute, or as ./path; the index knows it relative to the root.
function repoPath(path: string, project: McpProject | undefined): string {
  if (project && isAbsolute(path)) {
    const inside = relative(project.root, path);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split('\\').join('/');
  }
  return path.replace(/^(?:\.\/)+/, '');
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
