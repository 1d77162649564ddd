import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { RemoveRepoResponseSchema, ShardRemoveRequestSchema } from '@conexus/api';
import type { ShardHandler } from './shard-handler.js';

/** Removes a repository from the shard's index, and its clone with it. */
export const answerRemove: ShardHandler = async (deps, { data }) => {
  const { repo } = fromBinary(ShardRemoveRequestSchema, data);
  const removed = deps.engine.remove(repo);
  if (removed) deps.forget(repo);
  return toBinary(RemoveRepoResponseSchema, create(RemoveRepoResponseSchema, { removed }));
};
