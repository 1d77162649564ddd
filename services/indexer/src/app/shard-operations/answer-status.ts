import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { GetIndexStatusRequestSchema, GetIndexStatusResponseSchema, IndexEventSchema, IndexState } from '@conexus/api';
import type { ShardHandler } from './shard-handler.js';

/** A repository's latest index event on this replica, else a done event made from its stored record. */
export const answerStatus: ShardHandler = async (deps, { data }) => {
  const { repo: name } = fromBinary(GetIndexStatusRequestSchema, data);
  const latest = deps.lastEvents.get(name);
  const record = deps.engine.repos().find((repo) => repo.name === name);
  const event =
    latest ??
    (record
      ? create(IndexEventSchema, {
          repo: name,
          state: IndexState.DONE,
          commit: record.commit ?? '',
          chunks: record.chunks,
          at: record.indexedAt ?? '',
        })
      : undefined);
  return toBinary(GetIndexStatusResponseSchema, create(GetIndexStatusResponseSchema, { event }));
};
