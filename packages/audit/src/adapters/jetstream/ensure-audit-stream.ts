import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { streamInfo } from './stream-info.js';
import { ConexusError } from '@conexus/kernel';

/** How the audit stream should look; undefined settings leave an existing stream as it is. */
export interface AuditStreamSettings {
  readonly stream: string;
  readonly subject: string;
  readonly maxAgeMs?: number;
  readonly denyDelete?: boolean;
  /** False: never create or change the stream (readers such as the CLI); it must already exist. */
  readonly manage: boolean;
}

const NS_PER_MS = 1_000_000;

/** Creates the audit stream (file storage) or brings its retention and delete protection up to date. */
export async function ensureAuditStream(jsm: JetStreamManager, settings: AuditStreamSettings): Promise<void> {
  const { stream, subject } = settings;
  let info = await streamInfo(jsm, stream);
  if (!info) {
    if (!settings.manage) throw new ConexusError('not_found', `audit stream ${stream} does not exist`);
    const denyDelete = settings.denyDelete ?? true;
    const config = {
      name: stream,
      subjects: [subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: (settings.maxAgeMs ?? 0) * NS_PER_MS,
      // why: with these the server itself refuses to delete or purge audit records; only retention removes them.
      deny_delete: denyDelete,
      deny_purge: denyDelete,
    };
    // why: replicas starting together may both try; the loser finds the stream made.
    info = await jsm.streams.add(config).catch(async (error: unknown) => {
      const made = await streamInfo(jsm, stream);
      if (!made) throw error;
      return made;
    });
  }
  if (!info.config.subjects?.includes(subject)) {
    throw new ConexusError(
      'failed_precondition',
      `stream ${stream} does not capture subject ${subject}; the audit log needs a stream of its own`,
    );
  }
  if (!settings.manage) return;
  const changes = wantedChanges(info.config, settings);
  if (Object.keys(changes).length > 0) await jsm.streams.update(stream, changes);
}

function wantedChanges(config: StreamConfig, settings: AuditStreamSettings): Partial<StreamConfig> {
  const changes: Partial<StreamConfig> = {};
  if (settings.maxAgeMs !== undefined && config.max_age !== settings.maxAgeMs * NS_PER_MS) {
    changes.max_age = settings.maxAgeMs * NS_PER_MS;
    // why: the server refuses a duplicate window longer than the retention.
    if (changes.max_age > 0 && config.duplicate_window > changes.max_age) changes.duplicate_window = changes.max_age;
  }
  // why: the server never lets delete protection be lifted again, so it is only ever switched on here.
  if (settings.denyDelete === true && (!config.deny_delete || !config.deny_purge))
    Object.assign(changes, { deny_delete: true, deny_purge: true });
  return changes;
}
