/** Every flag of the CLI's own commands (audit, policy and keys parse theirs), defined once so commands agree on each. */
export const CLI_FLAGS = {
  'data-dir': { type: 'string' },
  embedder: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
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
  help: CLI_FLAGS.help,
} as const;

/**
 * The flags every command's parse reads, so that each resolves its settings the same way; a command takes the ones
 * beyond GLOBAL_FLAGS only when its flags list them (the CLI refuses them elsewhere before the command runs).
 */
export const RESOLVED_FLAGS = {
  ...GLOBAL_FLAGS,
  embedder: CLI_FLAGS.embedder,
} as const;
