import { ConexusError } from '@conexus/kernel';
import type { RepoRow } from '@conexus/store-sqlite';

/** The named repositories among `all` (every one when none is named); an unknown name is not_found. */
export function pickRepos(all: readonly RepoRow[], names: readonly string[]): RepoRow[] {
  if (names.length === 0) return [...all];
  return names.map((name) => {
    const repo = all.find((row) => row.name === name);
    if (!repo) throw new ConexusError('not_found', `unknown repository "${name}" (see \`conexus repos\`)`);
    return repo;
  });
}
