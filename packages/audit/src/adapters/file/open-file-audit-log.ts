import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { nextRecord, type ChainedRecord } from '../../domain/chained-record.js';
import { fromSeqOnward } from '../../domain/from-seq-onward.js';
import { parseRecord } from '../../domain/parse-record.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { readTailRecord } from './read-tail-record.js';

/**
 * Opens an audit log kept as JSON lines in one file, for the embedded single-process server.
 * Only one process may append to a file at a time; nothing is created until the first append.
 */
export async function openFileAuditLog(path: string): Promise<AuditLog> {
  let writer: Promise<{ handle: FileHandle; tail: Pick<ChainedRecord, 'seq' | 'hash'> | null }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const openWriter = async () => {
    await mkdir(dirname(path), { recursive: true });
    const tail = await readTailRecord(path);
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
    async close() {
      await queue;
      if (writer) await (await writer.catch(() => null))?.handle.close();
      writer = null;
    },
  };
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
