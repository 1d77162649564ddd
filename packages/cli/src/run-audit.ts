import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { open, readFile, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  auditHeadFilePath,
  exportJsonl,
  formatAuditHead,
  openFileAuditLog,
  openJetStreamAuditLog,
  parseAuditHead,
  verifyLog,
  writeAuditHeadFile,
  type AuditHead,
  type AuditLog,
} from '@conexus/audit';
import { ConexusError } from '@conexus/kernel';
import { formatVerification } from './format-verification.js';

const USAGE = `usage: conexus audit verify (--nats URL | --file PATH) [--stream NAME] [--subject SUBJECT] [--allow-expired]
                            [--head SEQ:HASH] [--head-file FILE]
       conexus audit export (--nats URL | --file PATH) [--stream NAME] [--subject SUBJECT] [--out FILE] [--from-seq N]
       conexus audit head (--nats URL | --file PATH) [--stream NAME] [--subject SUBJECT]

verify checks the hash chain and exits 0 when the log is intact, 1 when records are missing, altered or
out of order, or cut from the end (truncated): the chain must reach the head the log anchors outside itself
(a KV bucket for --nats, PATH.head beside a file), and every head given with --head or --head-file (a
SEQ:HASH or a head file, such as one kept elsewhere); --allow-expired accepts a start removed by the
stream's retention (max age).
export writes every record as one JSON line (to stdout, or --out FILE) for a SIEM; with --out it also
writes the log's head as FILE.head, which verify --file FILE then checks.
head prints the log's anchored head as SEQ:HASH, to keep elsewhere and give to verify --head later.
`;

const OPTIONS = {
  nats: { type: 'string' },
  file: { type: 'string' },
  stream: { type: 'string' },
  subject: { type: 'string' },
  'allow-expired': { type: 'boolean' },
  out: { type: 'string' },
  'from-seq': { type: 'string' },
  head: { type: 'string' },
  'head-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `conexus audit verify|export|head`; returns 1 when verify finds the log damaged. */
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
  if ((command !== 'verify' && command !== 'export' && command !== 'head') || rest.length > 0) {
    throw new ConexusError(
      'invalid_argument',
      `unknown audit command "${positionals.join(' ')}" (see \`conexus audit --help\`)`,
    );
  }
  if (command !== 'verify' && (values.head !== undefined || values['head-file'] !== undefined)) {
    throw new ConexusError('invalid_argument', '--head and --head-file apply to verify only');
  }
  const heads = command === 'verify' ? await givenHeads(values.head, values['head-file']) : [];
  const log = await openLog(values);
  try {
    if (command === 'verify') return await verify(log, values['allow-expired'] ?? false, heads);
    if (command === 'head') return await printHead(log);
    await exportTo(log, values.out, parseFromSeq(values['from-seq']));
    return 0;
  } finally {
    await log.close();
  }
}

async function verify(log: AuditLog, allowExpired: boolean, heads: readonly AuditHead[]): Promise<number> {
  try {
    const anchored = await log.head();
    const result = await verifyLog(log, { allowExpired, heads });
    process.stdout.write(formatVerification(result, allowExpired, anchored !== null || heads.length > 0));
    return result.ok ? 0 : 1;
  } catch (error) {
    // why: a stored entry that is not a record at all is damage to report, not a failure of the command.
    if (!(error instanceof ConexusError) || error.code !== 'failed_precondition') throw error;
    process.stdout.write(`audit log NOT intact: ${error.message}\n`);
    return 1;
  }
}

async function printHead(log: AuditLog): Promise<number> {
  const head = await log.head();
  if (!head)
    throw new ConexusError(
      'not_found',
      'the audit log has no anchored head: it is empty, or nothing was appended since heads were introduced',
    );
  process.stdout.write(`${formatAuditHead(head)}\n`);
  return 0;
}

async function exportTo(log: AuditLog, out: string | undefined, fromSeq: number | undefined): Promise<void> {
  // why: the head is read before the records; it is anchored only after its record is stored, so an export of
  // an intact log always reaches it.
  const head = await log.head();
  const handle =
    out === undefined
      ? null
      : await open(out, 'w').catch((error: Error) => {
          throw new ConexusError('invalid_argument', `cannot write ${out}: ${error.message}`);
        });
  const target: Writable = handle ? handle.createWriteStream() : process.stdout;
  // why: honour backpressure, so exporting a large log to a slow pipe does not buffer it all in memory.
  const write = (line: string) => (target.write(line) ? undefined : once(target, 'drain').then(() => undefined));
  const count = await exportJsonl(log, write, { fromSeq });
  if (!handle) return;
  await new Promise<void>((resolve, reject) =>
    target.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  // why: a head left from an earlier export to the same path must not be taken for this one's.
  if (head) await writeAuditHeadFile(auditHeadFilePath(out!), head);
  else await rm(auditHeadFilePath(out!), { force: true });
  process.stdout.write(`exported ${count} records to ${out}\n`);
}

async function openLog(values: { nats?: string; file?: string; stream?: string; subject?: string }): Promise<AuditLog> {
  if (Boolean(values.nats) === Boolean(values.file))
    throw new ConexusError('invalid_argument', 'give exactly one of --nats URL or --file PATH');
  if (values.file) {
    if (!existsSync(values.file)) throw new ConexusError('not_found', `no audit log at ${values.file}`);
    return openFileAuditLog(values.file);
  }
  // why: the CLI only reads; it must never create the stream or change its retention.
  return openJetStreamAuditLog({
    servers: values.nats!,
    stream: values.stream,
    subject: values.subject,
    manageStream: false,
    name: 'conexus-cli',
  });
}

async function givenHeads(head: string | undefined, headFile: string | undefined): Promise<AuditHead[]> {
  const heads = head === undefined ? [] : [parseAuditHead(head, `--head ${head}`)];
  if (headFile === undefined) return heads;
  const text = await readFile(headFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConexusError(
      error.code === 'ENOENT' ? 'not_found' : 'invalid_argument',
      `cannot read the head file ${headFile}: ${error.message}`,
    );
  });
  return [...heads, parseAuditHead(text, `--head-file ${headFile}`)];
}

function parseFromSeq(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ConexusError('invalid_argument', `--from-seq must be a positive integer, not "${text}"`);
  return value;
}
