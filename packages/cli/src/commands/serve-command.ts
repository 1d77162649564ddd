import { ConexusError } from '@conexus/kernel';
import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { parseCommandArgs } from '../parse-command-args.js';
import type { ServeOptions } from '../serve.js';

const FLAGS = {
  port: CLI_FLAGS.port,
  host: CLI_FLAGS.host,
  index: CLI_FLAGS.index,
  'source-root': CLI_FLAGS['source-root'],
  'no-watch': CLI_FLAGS['no-watch'],
};

/** `conexus serve`: runs the embedded server and indexes the --index folders. */
export const serveCommand: CliCommand = {
  flags: Object.keys(FLAGS),
  async run({ argv, cliEnv, env }) {
    const { values, rest, dataDir, embedderSpec } = parseCommandArgs(argv, FLAGS, cliEnv);
    if (rest.length > 0)
      throw new ConexusError('invalid_argument', 'usage: conexus serve [--port 7420] [--index DIR]... [--no-watch]');
    // why: the servers pull in gRPC, NATS and OpenTelemetry; one-shot commands should not pay for loading them.
    const { serve } = await import('../serve.js');
    const options: ServeOptions = {
      dataDir,
      port: parsePort(values.port ?? cliEnv.port),
      host: values.host ?? '127.0.0.1',
      index: values.index ?? [],
      sourceRoots: values['source-root'] ?? [],
      embedderSpec,
      jsonLogs: cliEnv.jsonLogs,
      env,
      watch: !values['no-watch'],
    };
    await serve(options);
    return 0;
  },
};

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConexusError('invalid_argument', `invalid port "${text}"`);
  return port;
}
