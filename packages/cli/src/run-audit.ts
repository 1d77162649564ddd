import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { exportJsonl, openFileAuditLog, openJetStreamAuditLog, verifyLog, type AuditLog } from '@conexus/audit';
import { ConexusError } from '@conexus/kernel';
import { formatVerification } from './format-verification.js';

const USAGE = `usage: conexus audit verify (--nats URL | --file PATH) [--stream NAME] [--subject SUBJECT] [--allow-expired]
       conexus audit export (--nats URL | --file PATH) [--stream NAME] [--subject SUBJECT] [--out FILE] [--from-seq N]

verify checks the hash chain and exits 0 when the log is intact, 1 when records are missing, altered or
out of order; --allow-expired accepts a head removed by the stream's retention (max age).
export writes every record as one JSON line (to stdout, or --out FILE) for a SIEM.
`;

const OPTIONS = {
  nats: { type: 'string' },
  file: { type: 'string' },
  stream: { type: 'string' },
  subject: { type: 'string' },
  'allow-expired': { type: 'boolean' },
  out: { type: 'string' },
  'from-seq': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `conexus audit verify|export`; returns 1 when verify finds the log damaged. */
export async function runAudit(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConexusError('invalid_argument', `${(error as Error).message} (see \`conexus audit --help\`)`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if ((command !== 'verify' && command !== 'export') || rest.length > 0) {
    throw new ConexusError('invalid_argument', `unknown audit command "${positionals.join(' ')}" (see \`conexus audit --help\`)`);
  }
  const log = await openLog(values);
  try {
    if (command === 'verify') return await verify(log, values['allow-expired'] ?? false);
    await exportTo(log, values.out, parseFromSeq(values['from-seq']));
    return 0;
  } finally {
    await log.close();
  }
}

async function verify(log: AuditLog, allowExpired: boolean): Promise<number> {
  try {
    const result = await verifyLog(log, { allowExpired });
    process.stdout.write(formatVerification(result, allowExpired));
    return result.ok ? 0 : 1;
  } catch (error) {
    // why: a stored entry that is not a record at all is damage to report, not a failure of the command.
    if (!(error instanceof ConexusError) || error.code !== 'failed_precondition') throw error;
    process.stdout.write(`audit log NOT intact: ${error.message}\n`);
    return 1;
  }
}

async function exportTo(log: AuditLog, out: string | undefined, fromSeq: number | undefined): Promise<void> {
  const handle = out === undefined ? null : await open(out, 'w').catch((error: Error) => {
    throw new ConexusError('invalid_argument', `cannot write ${out}: ${error.message}`);
  });
  const target: Writable = handle ? handle.createWriteStream() : process.stdout;
  // why: honour backpressure, so exporting a large log to a slow pipe does not buffer it all in memory.
  const write = (line: string) => (target.write(line) ? undefined : once(target, 'drain').then(() => undefined));
  const count = await exportJsonl(log, write, { fromSeq });
  if (!handle) return;
  await new Promise<void>((resolve, reject) => target.end((error?: Error | null) => (error ? reject(error) : resolve())));
  process.stdout.write(`exported ${count} records to ${out}\n`);
}

async function openLog(values: { nats?: string; file?: string; stream?: string; subject?: string }): Promise<AuditLog> {
  if (Boolean(values.nats) === Boolean(values.file)) throw new ConexusError('invalid_argument', 'give exactly one of --nats URL or --file PATH');
  if (values.file) {
    if (!existsSync(values.file)) throw new ConexusError('not_found', `no audit log at ${values.file}`);
    return openFileAuditLog(values.file);
  }
  // why: the CLI only reads; it must never create the stream or change its retention.
  return openJetStreamAuditLog({ servers: values.nats!, stream: values.stream, subject: values.subject, manageStream: false, name: 'conexus-cli' });
}

function parseFromSeq(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConexusError('invalid_argument', `--from-seq must be a positive integer, not "${text}"`);
  return value;
}
