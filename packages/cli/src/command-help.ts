/** One option's help: the value it takes (none for a switch) and what it does. */
export interface OptionHelp {
  readonly value?: string;
  readonly text: string;
}

/** A command's help: its arguments, what it does, and every option it takes (keyed by flag name, in display order). */
export interface CommandHelp {
  readonly args: string;
  /** One line for the overview. */
  readonly summary: string;
  /** What else a user should know, a line each, shown in the command's help only. */
  readonly details?: readonly string[];
  readonly options: Readonly<Record<string, OptionHelp>>;
}

// why: the options several commands share are described once, so their help cannot disagree.
const DATA_DIR: OptionHelp = {
  value: 'DIR',
  text: "the index's folder (default: $CONEXUS_DATA_DIR or ~/.local/share/conexus)",
};
const EMBEDDER: OptionHelp = {
  value: 'SPEC',
  text: 'none (lexical only), auto or a model (default: $CONEXUS_EMBEDDER or auto)',
};
const HELP: OptionHelp = { text: 'print this help' };
const REPO_NAME: OptionHelp = { value: 'NAME', text: "the repository's name (default: the directory's name)" };
const UNIT: OptionHelp = { value: 'UNIT', text: 'what one result is: chunk, symbol or file (default: chunk)' };
const TOP: OptionHelp = { value: 'K', text: 'how many results, 1 to 1000 (default: 10)' };
const INDEX: OptionHelp = { value: 'DIR', text: 'index DIR at start, then re-index it as files change (repeatable)' };
const SOURCE_ROOT: OptionHelp = { value: 'DIR', text: 'let AddRepo index under DIR too (repeatable)' };
const NO_WATCH: OptionHelp = { text: 'index the --index folders once, without watching them' };

/** The help of each of the CLI's own commands, by name: the one place their usage and options are written. */
export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  index: {
    args: '<dir>',
    summary: 'index or re-index a directory, then embed its new chunks',
    details: [
      'Progress goes to stderr. Ctrl-C stops and keeps the last committed snapshot; running',
      '`conexus index` again embeds the chunks left.',
    ],
    options: {
      repo: REPO_NAME,
      json: { text: 'print the summary as JSON, and progress as JSON lines on stderr' },
      embedder: EMBEDDER,
      'data-dir': DATA_DIR,
      help: HELP,
    },
  },
  search: {
    args: 'QUERY...',
    summary: 'search the indexed repositories',
    details: ['A query is embedded with the model its repositories were indexed with.'],
    options: {
      'query-file': { value: 'FILE', text: 'read the query from FILE (- for stdin) instead of the words' },
      repo: { value: 'NAME', text: 'search this repository (repeatable; default: all of them)' },
      unit: UNIT,
      top: TOP,
      json: { text: 'print the response as one JSON document' },
      'data-dir': DATA_DIR,
      help: HELP,
    },
  },
  ask: {
    args: '[dir]',
    summary: 'index a directory (default: .), then answer questions',
    details: [
      'Questions are read one per line, typed at the prompt or piped; blank lines are skipped.',
      'Prefix a question with "file:" or "symbol:" to change the unit; :quit or Ctrl-D ends.',
    ],
    options: { repo: REPO_NAME, unit: UNIT, top: TOP, embedder: EMBEDDER, 'data-dir': DATA_DIR, help: HELP },
  },
  serve: {
    args: '',
    summary: 'run the embedded server and index the --index folders',
    details: [
      'The server speaks gRPC, gRPC-Web and Connect/JSON. AddRepo may index only under the',
      '--index folders, the --source-root folders and the working directory.',
    ],
    options: {
      port: { value: 'PORT', text: 'the port to listen on (default: $CONEXUS_PORT or 7420)' },
      host: { value: 'HOST', text: 'the address to listen on (default: 127.0.0.1)' },
      index: INDEX,
      'source-root': SOURCE_ROOT,
      'no-watch': NO_WATCH,
      embedder: EMBEDDER,
      'data-dir': DATA_DIR,
      help: HELP,
    },
  },
  mcp: {
    args: '',
    summary: 'serve MCP tools on stdio (an embedded engine, or a gateway)',
    details: [
      'Tools search the first --index folder by default, other repositories when named.',
      "With --url, the gateway's token is read from $CONEXUS_TOKEN.",
    ],
    options: {
      index: INDEX,
      'source-root': SOURCE_ROOT,
      'no-watch': NO_WATCH,
      url: { value: 'URL', text: 'use the gateway at URL instead of an embedded engine (default: $CONEXUS_URL)' },
      embedder: EMBEDDER,
      'data-dir': DATA_DIR,
      help: HELP,
    },
  },
  repos: {
    args: '',
    summary: 'list the indexed repositories',
    options: { json: { text: 'print them as one JSON document' }, 'data-dir': DATA_DIR, help: HELP },
  },
  status: {
    args: '',
    summary: 'show the data directory and the indexed repositories',
    options: { json: { text: 'print them as one JSON document' }, 'data-dir': DATA_DIR, help: HELP },
  },
  remove: {
    args: '<repo>',
    summary: 'delete a repository from the index',
    options: { 'data-dir': DATA_DIR, help: HELP },
  },
};

/** The commands that parse their own flags and print their own help, listed in the CLI's overview. */
export const DELEGATED_COMMAND_HELP: Readonly<Record<string, Pick<CommandHelp, 'args' | 'summary'>>> = {
  audit: { args: 'verify|export|head', summary: 'check, export or print the head of the audit log' },
  policy: { args: 'grant|revoke|list|explain', summary: 'manage who may read what through a gateway' },
  keys: { args: 'create|list|revoke', summary: "manage a gateway's API keys" },
};
