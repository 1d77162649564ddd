import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import watcher from '@parcel/watcher';
import ignore, { type Ignore } from 'ignore';
import { isIndexTrigger } from './is-index-trigger.js';
import { IDLE_SCHEDULE, stepReindexSchedule, type ReindexInput, type ReindexTiming } from './reindex-schedule.js';

/** How a folder is watched. */
export interface WatchFolderOptions {
  /** The folder, as a real path (symbolic links resolved). */
  readonly directory: string;
  /** Runs one re-index of the folder, settling when that run has ended, however it ended. */
  readonly reindex: () => Promise<void>;
  /** Absolute paths inside the folder whose changes are never a trigger, e.g. a data directory kept there. */
  readonly exclude?: readonly string[];
  readonly timing?: ReindexTiming;
  /** Told of a watcher failure or a failed re-index; watching goes on. */
  readonly onError: (error: unknown) => void;
}

/** A folder being watched. */
export interface FolderWatch {
  close(): Promise<void>;
}

/** 250 ms after the last change, at most 1.5 s after the first: a save is indexed well within 2 s. */
export const DEFAULT_REINDEX_TIMING: ReindexTiming = { debounceMs: 250, maxWaitMs: 1500 };

// why: inotify needs a watch per directory; these trees are never indexed and can be huge, so they are not watched.
const UNWATCHED = ['**/node_modules', '.git/objects', '.git/logs', '.git/lfs', '.git/modules', '.git/hooks'];

/**
 * Watches a folder (@parcel/watcher: inotify, FSEvents or ReadDirectoryChangesW) and re-indexes it after changes
 * settle, one run at a time, as stepReindexSchedule decides.
 */
export async function watchFolder(options: WatchFolderOptions): Promise<FolderWatch> {
  const { directory } = options;
  const timing = options.timing ?? DEFAULT_REINDEX_TIMING;
  const excluded = (options.exclude ?? [])
    .map((path) => toSlashes(relative(directory, path)))
    .filter((path) => path !== '' && !path.startsWith('../') && !isAbsolute(path));
  let rules = await readIgnores(directory);
  let state = IDLE_SCHEDULE;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const apply = (input: ReindexInput): void => {
    if (closed) return;
    const step = stepReindexSchedule(state, input, timing);
    state = step.state;
    if (step.start) {
      void options
        .reindex()
        .catch(options.onError)
        .finally(() => apply({ kind: 'finished', at: performance.now() }));
    }
    if (step.wakeAt !== null) {
      clearTimeout(timer);
      const wakeIn = Math.max(0, step.wakeAt - performance.now());
      timer = setTimeout(() => apply({ kind: 'timer', at: performance.now() }), wakeIn);
    }
  };

  const subscription = await watcher.subscribe(
    directory,
    (error, events) => {
      if (error) return options.onError(error);
      const paths = events.map((event) => toSlashes(relative(directory, event.path)));
      if (paths.some((path) => path === '.gitignore' || path === '.conexusignore')) {
        void readIgnores(directory).then((read) => (rules = read), options.onError);
      }
      const triggers = paths.filter(
        (path) => !excluded.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
      );
      if (triggers.some((path) => isIndexTrigger(path, rules))) apply({ kind: 'change', at: performance.now() });
    },
    { ignore: [...UNWATCHED, ...excluded] },
  );
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await subscription.unsubscribe();
    },
  };
}

// why: the index scan honours every .gitignore and .conexusignore; the root's are enough to keep the watcher from
// re-indexing for build output, and a missed nested rule costs only a run that finds nothing changed.
async function readIgnores(directory: string): Promise<Ignore> {
  const rules = ignore();
  for (const name of ['.gitignore', '.conexusignore']) {
    rules.add(await readFile(join(directory, name), 'utf8').catch(() => ''));
  }
  return rules;
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
