import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { ConexusError } from '@conexus/kernel';
import { formatAuditHead, type AuditHead } from '../../domain/audit-head.js';
import { nextRecord, type ChainedRecord } from '../../domain/chained-record.js';
import { fromSeqOnward } from '../../domain/from-seq-onward.js';
import { parseRecord } from '../../domain/parse-record.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { auditHeadFilePath, readAuditHeadFile, writeAuditHeadFile } from './audit-head-file.js';
import { readTailRecord } from './read-tail-record.js';

/**
 * Opens an audit log kept as JSON lines in one file, for the embedded single-process server, with its head
 * in a file beside it (see auditHeadFilePath). Only one process may append to a file at a time; nothing is
 * created until the first append.
 */
export async function openFileAuditLog(path: string): Promise<AuditLog> {
  const headPath = auditHeadFilePath(path);
  let writer: Promise<{ handle: FileHandle; tail: Pick<ChainedRecord, 'seq' | 'hash'> | null }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const openWriter = async () => {
    await mkdir(dirname(path), { recursive: true });
    const tail = await readTailRecord(path);
    // why: appending after a cut tail would move the head onto the shortened chain and erase the evidence.
    const head = await readAuditHeadFile(headPath);
    if (head && contradicts(tail, head)) {
      throw new ConexusError(
        'failed_precondition',
        `audit log ${path} ends at seq ${tail?.seq ?? 0} but its head file ${headPath} expects ${formatAuditHead(head)}: records were cut from its end or rewritten; verify it and restore them (or remove the head file to accept the log as it is) before appending`,
      );
    }
    return { handle: await open(path, 'a'), tail };
  };

  return {
    append(event) {
      const run = queue.then(async () => {
        writer ??= openWriter().catch((error: unknown) => {
          writer = null;
          throw error;
        });
        const state = await writer;
        const record = nextRecord(state.tail, event);
        await state.handle.appendFile(`${JSON.stringify(record)}\n`, 'utf8');
        // why: a record counts as logged only once it is on disk; data sync also persists the new length.
        await state.handle.datasync();
        state.tail = record;
        // why: the head is replaced only after the record is durable, so after any crash the log is at least as
        // long as its head says (at most this one record ahead of it), which verification accepts; a head
        // written first could vouch for a record the crash lost and raise a false alarm of truncation.
        await writeAuditHeadFile(headPath, { seq: record.seq, hash: record.hash }).catch((error: unknown) => {
          throw new ConexusError(
            'unavailable',
            `audit record ${record.seq} is stored in ${path}, but its head file ${headPath} could not be replaced: ${(error as Error).message}`,
            { cause: error },
          );
        });
        return record;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    read(options = {}) {
      return fromSeqOnward(readLines(path), options.fromSeq);
    },
    async lastSeq() {
      await queue;
      const tail = writer ? (await writer).tail : await readTailRecord(path);
      return tail?.seq ?? 0;
    },
    async head() {
      await queue;
      return readAuditHeadFile(headPath);
    },
    async close() {
      await queue;
      if (writer) await (await writer.catch(() => null))?.handle.close();
      writer = null;
    },
  };
}

/** Whether the log's last record cannot follow from the head: the log is shorter, or differs at or right after it. */
function contradicts(tail: ChainedRecord | null, head: AuditHead): boolean {
  if (!tail || tail.seq < head.seq) return true;
  if (tail.seq === head.seq) return tail.hash !== head.hash;
  // why: a crash between append and head write leaves the log one ahead; further back, verify checks the link.
  return tail.seq === head.seq + 1 && tail.prevHash !== head.hash;
}

async function* readLines(path: string): AsyncGenerator<ChainedRecord> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    input.once('ready', () => resolve(true));
    input.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!opened) return;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      // why: a blank line holds no record (an editor may add one at the end); every other line must parse.
      if (line.trim() === '') continue;
      yield parseRecord(line, `audit log ${path} line ${number}`);
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
