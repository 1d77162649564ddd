import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createChunker } from '@conexus/chunking';
import { createShardedEngine, type Engine, type ResultUnit } from '@conexus/engine';
import { ConexusError, showName } from '@conexus/kernel';
import { resolveDataDir } from './data-dir.js';
import { formatResults, formatSummary } from './format-results.js';
import { openEmbedder, openRecordedEmbedder } from '@conexus/embedding';
import { runPrompt } from './run-prompt.js';

const VERSION = '0.1.0';

const USAGE = `usage: conexus <command> [options]

commands:
  index <dir> [--repo NAME] [--embedder none|auto|MODEL] [--json]   index or re-index a directory
  search [QUERY...] [--query-file FILE|-] [--repo NAME]... [--unit chunk|symbol|file] [--top K] [--json]
  mcp [--index DIR]... [--source-root DIR]... [--url GATEWAY]  serve MCP tools on stdio (an embedded engine, or a gateway with
                                               its token in CONEXUS_TOKEN)
  serve [--port 7420] [--host 127.0.0.1] [--index DIR]... [--source-root DIR]... [--embedder ...]
                                               run the embedded server (gRPC, gRPC-Web, Connect/JSON) and index DIRs;
                                               AddRepo may index only under DIRs, source roots and the working directory
  ask [dir] [--repo NAME] [--embedder ...]     index a directory, then answer questions typed at a prompt
  repos [--json]                               list indexed repositories
  status [--json]                              data directory and index summary
  remove <repo>                                delete a repository from the index
  audit verify|export|head (--nats URL | --file PATH)  check the hash chain and its anchored head, export, print the head
                                               (see \`conexus audit --help\`)
  policy grant|revoke|list|explain             manage who may read what through a gateway's admin API, with
  keys create|list|revoke                      an admin token in CONEXUS_TOKEN (see \`conexus policy --help\`)

common options:
  --data-dir DIR   where the index lives (default: $CONEXUS_DATA_DIR or ~/.local/share/conexus)
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  repo: { type: 'string', multiple: true },
  embedder: { type: 'string' },
  json: { type: 'boolean' },
  'query-file': { type: 'string' },
  unit: { type: 'string' },
  top: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  index: { type: 'string', multiple: true },
  'source-root': { type: 'string', multiple: true },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one CLI invocation and returns its exit code; typed errors propagate to main. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // why: audit, policy and keys commands take their own flags, so they parse them in their own files (loaded only when used).
  if (argv[0] === 'audit') return (await import('./run-audit.js')).runAudit(argv.slice(1));
  if (argv[0] === 'policy' || argv[0] === 'keys') return (await import('./run-policy.js')).runPolicy(argv, env);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConexusError('invalid_argument', `${(error as Error).message} (see \`conexus --help\`)`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolveDataDir(values['data-dir'], env);
  const embedderSpec = values.embedder ?? env.CONEXUS_EMBEDDER ?? 'auto';
  const print = (text: string): void => void process.stdout.write(text);
  const json = (value: unknown): void => print(`${JSON.stringify(value)}\n`);

  switch (command) {
    case 'index': {
      const directory = rest[0];
      if (!directory || rest.length > 1) throw new ConexusError('invalid_argument', 'usage: conexus index <dir> [--repo NAME]');
      const engine = await openEngine(dataDir, embedderSpec, env);
      try {
        const summary = await engine.index(directory, single(values.repo, '--repo'));
        if (values.json) json(summary);
        else print(formatSummary(summary));
      } finally {
        await engine.close();
      }
      return 0;
    }
    case 'search': {
      const query = readQuery(rest, values['query-file']);
      const engine = await openEngineForSearch(dataDir, values.repo ?? [], env);
      try {
        const response = await engine.search({
          query,
          repos: values.repo ?? [],
          unit: parseUnit(values.unit),
          top: parseTop(values.top),
        });
        if (values.json) {
          const unit = parseUnit(values.unit);
          json({ ...response, results: response.results.map((result) => (unit === 'file' ? withoutText(result) : result)) });
        } else {
          print(formatResults(response, engine.repos().length > 1));
        }
      } finally {
        await engine.close();
      }
      return 0;
    }
    case 'ask': {
      const engine = await openEngine(dataDir, embedderSpec, env);
      try {
        const repo = single(values.repo, '--repo');
        const summary = await engine.index(rest[0] ?? '.', repo);
        process.stderr.write(formatSummary(summary));
        await runPrompt(engine, summary.repo, parseUnit(values.unit), parseTop(values.top));
      } finally {
        await engine.close();
      }
      return 0;
    }
    case 'serve': {
      if (rest.length > 0) throw new ConexusError('invalid_argument', 'usage: conexus serve [--port 7420] [--index DIR]...');
      // why: the servers pull in gRPC, NATS and OpenTelemetry; one-shot commands should not pay for loading them.
      const { serve } = await import('./serve.js');
      await serve({
        dataDir,
        port: parsePort(values.port ?? env.CONEXUS_PORT ?? '7420'),
        host: values.host ?? '127.0.0.1',
        index: values.index ?? [],
        sourceRoots: values['source-root'] ?? [],
        embedderSpec,
        env,
      });
      return 0;
    }
    case 'mcp': {
      if (rest.length > 0) throw new ConexusError('invalid_argument', 'usage: conexus mcp [--index DIR]... [--url GATEWAY]');
      const { runMcp } = await import('./run-mcp.js');
      await runMcp({ url: values.url ?? env.CONEXUS_URL, token: env.CONEXUS_TOKEN, dataDir, index: values.index ?? [], sourceRoots: values['source-root'] ?? [], embedderSpec, env, version: VERSION });
      return 0;
    }
    case 'repos':
    case 'status': {
      const engine = await openEngine(dataDir, 'none', env);
      try {
        const repos = engine.repos();
        if (values.json) json(command === 'repos' ? { repos } : { dataDir, repos });
        else print(formatRepos(command === 'status' ? dataDir : null, repos));
      } finally {
        await engine.close();
      }
      return 0;
    }
    case 'remove': {
      const name = rest[0];
      if (!name) throw new ConexusError('invalid_argument', 'usage: conexus remove <repo>');
      const engine = await openEngine(dataDir, 'none', env);
      try {
        if (!engine.remove(name)) throw new ConexusError('not_found', `unknown repository "${name}" (see \`conexus repos\`)`);
        print(`removed ${showName(name)}\n`);
      } finally {
        await engine.close();
      }
      return 0;
    }
    default:
      throw new ConexusError('invalid_argument', `unknown command "${command}" (see \`conexus --help\`)`);
  }
}

async function openEngine(dataDir: string, embedderSpec: string, env: NodeJS.ProcessEnv): Promise<Engine> {
  const [chunker, embedder] = await Promise.all([createChunker(), openEmbedder(embedderSpec, env)]);
  return createShardedEngine({ dataDir, chunker, embedder, chunkWorkers: availableParallelism() });
}

// why: queries must be embedded by the model the repositories were indexed with, which only the store knows.
async function openEngineForSearch(dataDir: string, repos: readonly string[], env: NodeJS.ProcessEnv): Promise<Engine> {
  const chunker = await createChunker();
  const probe = createShardedEngine({ dataDir, chunker });
  const inScope = probe.repos().filter((repo) => repos.length === 0 || repos.includes(repo.name));
  const embedderIds = [...new Set(inScope.map((repo) => repo.embedder).filter((id): id is string => !!id))];
  if (embedderIds.length !== 1) return probe;
  await probe.close();
  return createShardedEngine({ dataDir, chunker, embedder: await openRecordedEmbedder(embedderIds[0]!, env) });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConexusError('invalid_argument', `invalid port "${text}"`);
  return port;
}

function readQuery(words: readonly string[], queryFile: string | undefined): string {
  if (queryFile !== undefined) {
    try {
      return readFileSync(queryFile === '-' ? 0 : queryFile, 'utf8');
    } catch (error) {
      throw new ConexusError('invalid_argument', `cannot read query file ${queryFile}: ${(error as Error).message}`);
    }
  }
  if (words.length === 0) throw new ConexusError('invalid_argument', 'usage: conexus search QUERY... (or --query-file FILE|-)');
  return words.join(' ');
}

function parseUnit(unit: string | undefined): ResultUnit {
  if (unit === undefined) return 'chunk';
  if (unit === 'chunk' || unit === 'symbol' || unit === 'file') return unit;
  throw new ConexusError('invalid_argument', `--unit must be chunk, symbol or file, not "${unit}"`);
}

function parseTop(top: string | undefined): number {
  if (top === undefined) return 10;
  const value = Number(top);
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new ConexusError('invalid_argument', '--top must be an integer from 1 to 1000');
  return value;
}

function single(values: readonly string[] | undefined, flag: string): string | undefined {
  if (values && values.length > 1) throw new ConexusError('invalid_argument', `${flag} may be given once here`);
  return values?.[0];
}

function withoutText<T extends { text?: string }>(result: T): Omit<T, 'text'> {
  const { text: _text, ...rest } = result;
  return rest;
}

function formatRepos(dataDir: string | null, repos: ReturnType<Engine['repos']>): string {
  const lines = dataDir ? [`data directory: ${dataDir}`] : [];
  if (repos.length === 0) lines.push('no repositories indexed');
  for (const repo of repos) {
    const commit = repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : '';
    const dense = repo.embedder ? `, embeddings ${repo.embedder}` : ', lexical only';
    lines.push(`${showName(repo.name)}${commit}  ${showName(repo.root)}  (${repo.files} files, ${repo.chunks} chunks, ${repo.skipped} skipped${dense}; indexed ${repo.indexedAt ?? 'never'})`);
  }
  return `${lines.join('\n')}\n`;
}
