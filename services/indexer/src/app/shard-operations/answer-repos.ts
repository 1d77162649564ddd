import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { RepoSchema, ShardListRequestSchema, ShardSearchResponseSchema } from '@conexus/api';
import { readableRepos } from '@conexus/access';
import { toReadScope } from './request-scope.js';
import type { ShardHandler } from './shard-handler.js';

/** Lists the shard's readable repositories with their counts. */
export const answerRepos: ShardHandler = async (deps, { data }) => {
  const { scope } = fromBinary(ShardListRequestSchema, data);
  const records = deps.engine.repos();
  const allowed = new Set(
    readableRepos(
      toReadScope(scope),
      [],
      records.map((repo) => repo.name),
    ),
  );
  const repos = records
    .filter((repo) => allowed.has(repo.name))
    .map((repo) =>
      create(RepoSchema, {
        name: repo.name,
        commit: repo.commit ?? '',
        files: repo.files,
        chunks: repo.chunks,
        skipped: repo.skipped,
        indexedAt: repo.indexedAt ?? '',
        embedder: repo.embedder ?? '',
        shard: deps.shard,
      }),
    );
  return toBinary(ShardSearchResponseSchema, create(ShardSearchResponseSchema, { shard: deps.shard, repos }));
};
