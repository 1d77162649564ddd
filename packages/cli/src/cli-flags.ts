/** Every flag of the CLI's own commands (audit, policy and keys parse theirs), defined once so commands agree on each. */
export const CLI_FLAGS = {
  'data-dir': { type: 'string' },
  embedder: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  repo: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  'query-file': { type: 'string' },
  unit: { type: 'string' },
  top: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  index: { type: 'string', multiple: true },
  'source-root': { type: 'string', multiple: true },
  url: { type: 'string' },
  'no-watch': { type: 'boolean' },
} as const;

/** The flags every command takes. */
export const GLOBAL_FLAGS = {
  'data-dir': CLI_FLAGS['data-dir'],
  embedder: CLI_FLAGS.embedder,
  help: CLI_FLAGS.help,
} as const;
