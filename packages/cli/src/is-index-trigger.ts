import type { Ignore } from 'ignore';

// why: git rewrites these on a branch switch, a commit or a pull; its other internals (objects, index, logs, locks)
// change on every command and say nothing the working tree does not say too.
const GIT_TRIGGERS = /^\.git\/(?:HEAD|packed-refs|refs\/.*)$/;

/**
 * Whether a change at `path` (relative to the watched root, '/'-separated) may change what is indexed: not inside
 * node_modules or git's internals (other than HEAD and refs), nor ignored by the root's .gitignore or .conexusignore.
 */
export function isIndexTrigger(path: string, ignored: Ignore): boolean {
  if (path === '' || path.startsWith('../') || path.split('/').includes('node_modules')) return false;
  if (path === '.git' || path.startsWith('.git/')) return GIT_TRIGGERS.test(path);
  return !ignored.ignores(path);
}
