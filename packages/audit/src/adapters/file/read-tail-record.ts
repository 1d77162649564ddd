import { open } from 'node:fs/promises';
import { ConexusError } from '@conexus/kernel';
import type { ChainedRecord } from '../../domain/chained-record.js';
import { parseRecord } from '../../domain/parse-record.js';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/** The last record of a JSONL audit file, read from its end; null when the file is missing or empty. */
export async function readTailRecord(path: string): Promise<ChainedRecord | null> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    let text = Buffer.alloc(0);
    for (let position = size; position > 0;) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      text = Buffer.concat([chunk, text]);
      const line = lastLine(text, position === 0);
      if (line === null) continue;
      if (line.trim() === '') return null;
      // why: appending after a torn line would glue the next record onto it; an operator must look first.
      if (!endsWithNewline(text))
        throw new ConexusError(
          'failed_precondition',
          `audit log ${path} ends with an incomplete line (a torn write or tampering); verify and repair it before appending`,
        );
      return parseRecord(line, `the last line of audit log ${path}`);
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** The last non-blank line in the tail, or null when the tail read so far may not hold all of it. */
function lastLine(tail: Buffer, wholeFile: boolean): string | null {
  let end = tail.length;
  while (end > 0 && isBlank(tail[end - 1]!)) end -= 1;
  if (end === 0) return wholeFile ? '' : null;
  const start = tail.lastIndexOf(NEWLINE, end - 1);
  if (start < 0 && !wholeFile) return null;
  return tail.subarray(start + 1, end).toString('utf8');
}

function endsWithNewline(tail: Buffer): boolean {
  let end = tail.length;
  while (end > 0 && isBlank(tail[end - 1]!) && tail[end - 1] !== NEWLINE) end -= 1;
  return end > 0 && tail[end - 1] === NEWLINE;
}

function isBlank(byte: number): boolean {
  return byte === NEWLINE || byte === 0x0d || byte === 0x20 || byte === 0x09;
}
