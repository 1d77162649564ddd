import { open, readFile, rename } from 'node:fs/promises';
import { parseAuditHead, type AuditHead } from '../../domain/audit-head.js';

/** Where a file log keeps its head: beside it, named after it (`audit.jsonl` → `audit.jsonl.head`). */
export function auditHeadFilePath(logPath: string): string {
  return `${logPath}.head`;
}

/** The head stored in a head file, or null when there is none; a damaged file fails with failed_precondition. */
export async function readAuditHeadFile(path: string): Promise<AuditHead | null> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? null : parseAuditHead(text, `audit head file ${path}`, 'failed_precondition');
}

/**
 * Replaces a head file atomically: the new head goes to a temporary file, is synced, and is renamed over
 * the old one, so a crash leaves the old head or the new one, never a torn file.
 */
export async function writeAuditHeadFile(path: string, head: AuditHead): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  // why: the folder is not synced after the rename. A rename lost to a power cut leaves the previous head,
  // which is behind the log and so passes verification; it only narrows what the head protects until the next append.
  await rename(temporary, path);
}
