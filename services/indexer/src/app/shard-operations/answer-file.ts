import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { GetFileResponseSchema, ShardFileRequestSchema } from '@conexus/api';
import { ConexusError } from '@conexus/kernel';
import { pathReadable, repoVisible } from '@conexus/access';
import { toReadScope } from './request-scope.js';
import type { ShardHandler } from './shard-handler.js';

/** Reads a line range of one readable file, at the indexed commit or one the caller names. */
export const answerFile: ShardHandler = async (deps, { data, listing }) => {
  const { request, scope } = fromBinary(ShardFileRequestSchema, data);
  if (!request) throw new ConexusError('invalid_argument', 'a file read needs a request');
  const readScope = toReadScope(scope);
  const repo = listing.rows.find((candidate) => candidate.name === request.repo);
  // why: an unreadable file and a missing one must look the same to the caller.
  if (
    !repo ||
    !repoVisible(readScope, request.repo) ||
    !pathReadable(readScope, repo.name, request.path) ||
    !deps.engine.hasFile(repo.name, request.path)
  ) {
    throw new ConexusError('not_found', `no file ${request.path} in repository "${request.repo}"`);
  }
  const named = request.commit !== '' && request.commit !== repo.commit;
  const text = await deps.readFile(repo.root, request.path, named ? request.commit : repo.commit, named);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const start = Math.max(1, request.startLine || 1);
  const end = Math.min(lines.length, request.endLine || lines.length);
  if (start > Math.max(end, 1))
    throw new ConexusError(
      'invalid_argument',
      `line range ${start}-${end} is outside the file (${lines.length} lines)`,
    );
  return toBinary(
    GetFileResponseSchema,
    create(GetFileResponseSchema, {
      repo: repo.name,
      path: request.path,
      commit: request.commit || repo.commit || '',
      startLine: start,
      endLine: end,
      text: lines.slice(start - 1, end).join('\n') + (end >= start ? '\n' : ''),
      totalLines: lines.length,
    }),
  );
};
