import { ConexusError } from '@conexus/kernel';
import type { ChainedRecord } from './chained-record.js';

/** Reads one stored record; anything that is not shaped like a record fails with failed_precondition. */
export function parseRecord(text: string, where: string): ChainedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(where, 'it is not JSON');
  }
  if (value === null || typeof value !== 'object') throw unreadable(where, 'it is not an object');
  const record = value as Record<string, unknown>;
  if (!Number.isSafeInteger(record.seq) || (record.seq as number) < 1)
    throw unreadable(where, 'its seq is not a positive integer');
  if (typeof record.prevHash !== 'string' || typeof record.hash !== 'string')
    throw unreadable(where, 'its hashes are missing');
  if (record.event === null || typeof record.event !== 'object') throw unreadable(where, 'its event is missing');
  // why: the event's fields are not checked here; verifyChain recomputes the hash, which catches any edit.
  return value as ChainedRecord;
}

function unreadable(where: string, why: string): ConexusError {
  return new ConexusError(
    'failed_precondition',
    `${where} is not an audit record (${why}); the log is damaged or was tampered with`,
  );
}
