import { secondsLeft, type IndexProgress } from '@conexus/engine';
import { showName } from '@conexus/kernel';

/** A duration as people say it: "8 s", "2 min 5 s", "1 h 3 min". */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3_600) return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ''}`;
  const minutes = Math.round((whole % 3_600) / 60);
  return `${Math.floor(whole / 3_600)} h${minutes ? ` ${minutes} min` : ''}`;
}

const count = (value: number): string => value.toLocaleString('en-US');

/**
 * One line of index progress, e.g. "embedding app: 1,781 chunks, embedded 300/1,036, 19.1 chunks/s, about 38 s left";
 * `chunks` is the repository's chunk count, known once its lexical snapshot committed.
 */
export function formatProgress(progress: IndexProgress, chunks: number | null = null): string {
  const indexing = progress.phase === 'indexing';
  const unit = indexing ? 'files' : 'chunks';
  const parts = [
    ...(!indexing && chunks !== null ? [`${count(chunks)} chunks`] : []),
    `${indexing ? 'files' : 'embedded'} ${count(progress.done)}${progress.total > 0 ? `/${count(progress.total)}` : ''}`,
  ];
  if (progress.perSecond > 0) parts.push(`${progress.perSecond.toFixed(1)} ${unit}/s`);
  const left = secondsLeft(progress);
  if (left !== null) parts.push(`about ${formatSeconds(left)} left`);
  return `${progress.phase} ${showName(progress.repo)}: ${parts.join(', ')}`;
}

/** What a repository's background embedding will do, said before it starts: "embedding 1,036 chunks … (about 54 s)". */
export function formatDenseStart(progress: IndexProgress | null, model: string | null): string {
  const what = progress && progress.total > 0 ? `${count(progress.total - progress.done)} chunks` : 'its chunks';
  const left = progress ? secondsLeft(progress) : null;
  return `embedding ${what} in the background${model ? ` with ${showName(model)}` : ''}${left !== null ? ` (about ${formatSeconds(left)})` : ''}`;
}
