import { IndexState, type IndexEvent } from '@conexus/api';
import type { IndexProgress } from '@conexus/engine';
import { showName } from '@conexus/kernel';
import { formatDenseStart, formatProgress, formatSeconds } from './format-progress.js';

/** Turns index events into log lines for people; '' for an event not worth a line. */
export type IndexEventDescriber = (event: IndexEvent) => string;

/** Describes index events for `conexus serve`: every change of state, progress at most once per `everyMs` per repository. */
export function describeIndexEvents(everyMs = 5_000): IndexEventDescriber {
  const repos = new Map<string, { progressAt: number; embeddingSince: number | null }>();
  return (event) => {
    const at = Date.parse(event.at) || 0;
    const name = showName(event.repo);
    const seen = repos.get(event.repo);
    const repo = seen ?? { progressAt: -Infinity, embeddingSince: null };
    repos.set(event.repo, repo);
    const progress = event.progress && progressOf(event);
    const throttled = (line: string): string => {
      if (at - repo.progressAt < everyMs) return '';
      repo.progressAt = at;
      return `${line}\n`;
    };
    switch (event.state) {
      case IndexState.INDEXING:
        if (!progress) return `indexing ${name}\n`;
        return throttled(formatProgress(progress));
      case IndexState.EMBEDDING:
        if (repo.embeddingSince === null) {
          repo.embeddingSince = at;
          repo.progressAt = at;
          return `${indexed(event)}: searchable now; ${formatDenseStart(progress ?? null, null)}\n`;
        }
        return progress ? throttled(formatProgress(progress, event.chunks)) : '';
      case IndexState.DONE: {
        const since = repo.embeddingSince;
        repos.delete(event.repo);
        if (since === null) return `${indexed(event)}\n`;
        return `embedded ${name}: ${event.progress?.done ?? 0} chunks in ${formatSeconds((at - since) / 1000)}\n`;
      }
      case IndexState.FAILED:
        repos.delete(event.repo);
        return `indexing ${name} failed: ${event.error}\n`;
      default:
        return `${IndexState[event.state].toLowerCase()} ${name}\n`;
    }
  };
}

function indexed(event: IndexEvent): string {
  return `indexed ${showName(event.repo)} at ${event.commit.slice(0, 12) || '(no commit)'}: ${event.filesIndexed} files indexed, ${event.filesUnchanged} unchanged, ${event.filesRemoved} removed, ${event.chunks} chunks in ${(event.tookMs / 1000).toFixed(1)} s`;
}

function progressOf(event: IndexEvent): IndexProgress {
  const { done = 0, total = 0, perSecond = 0 } = event.progress ?? {};
  return {
    repo: event.repo,
    phase: event.state === IndexState.EMBEDDING ? 'embedding' : 'indexing',
    done,
    total,
    perSecond,
  };
}
