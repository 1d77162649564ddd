import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '@conexus/testkit';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=e2e@conexus.dev', '-c', 'user.name=e2e', ...args], { cwd, encoding: 'utf8' });

/** Turns a folder into a git repository whose one commit holds everything in it. */
function commitAll(root: string, message: string): string {
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', message);
  return root;
}

/** Makes a git repository at `root` holding `files` (path → text) in one commit. */
export function gitRepo(root: string, files: Readonly<Record<string, string>>, message: string): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return commitAll(root, message);
}

/** Makes a git repository from a folder of this project's own source (real code, real history of one commit). */
export function repoFromProjectFolder(scratch: string, name: string, folder: string): string {
  const root = join(scratch, 'sources', name);
  mkdirSync(root, { recursive: true });
  cpSync(join(ROOT, folder), root, { recursive: true, filter: (path) => !/node_modules|dist/.test(path) });
  return commitAll(root, `import ${folder}`);
}

/** Makes a repository of many small modules, slow enough to index that a job can be interrupted. */
export function largeRepo(scratch: string, name: string, files: number): string {
  const root = join(scratch, 'sources', name);
  mkdirSync(join(root, 'src'), { recursive: true });
  for (let i = 0; i < files; i++) {
    const body = Array.from(
      { length: 30 },
      (_, line) => `    total_${line} = compute_${i}_${line}(value) + ${line}`,
    ).join('\n');
    writeFileSync(
      join(root, 'src', `module_${i}.py`),
      `def handler_${i}(value):\n    """Handles case ${i} of the ledger."""\n${body}\n    return value\n`,
    );
  }
  return commitAll(root, 'many modules');
}

/** A bare copy of a repository, so the indexer can clone it by URL. */
export function bareClone(scratch: string, source: string, name: string): string {
  const bare = join(scratch, 'remotes', `${name}.git`);
  execFileSync('git', ['clone', '-q', '--bare', source, bare]);
  return bare;
}
