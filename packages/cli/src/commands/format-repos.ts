import type { Engine } from '@conexus/engine';
import { showName } from '@conexus/kernel';

/** The repositories as text, one per line, after the data directory when there is one. */
export function formatRepos(dataDir: string | null, repos: ReturnType<Engine['repos']>): string {
  const lines = dataDir ? [`data directory: ${dataDir}`] : [];
  if (repos.length === 0) lines.push('no repositories indexed');
  for (const repo of repos) {
    const commit = repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : '';
    const dense = repo.embedder ? `, embeddings ${repo.embedder}` : ', lexical only';
    lines.push(
      `${showName(repo.name)}${commit}  ${showName(repo.root)}  (${repo.files} files, ${repo.chunks} chunks, ${repo.skipped} skipped${dense}; indexed ${repo.indexedAt ?? 'never'})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
