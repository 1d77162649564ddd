import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

// why: the README's install step is `npm link` from the clone; this runs it against a private prefix, so the
// machine's global one is untouched, and runs the command it installed the way a shell would, by its path.
const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../../..');
const prefix = mkdtempSync(join(tmpdir(), 'conexus-npm-prefix-'));
afterAll(() => rmSync(prefix, { recursive: true, force: true, maxRetries: 5 }));

const npmEnv = {
  ...process.env,
  npm_config_prefix: prefix,
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};

describe('conexus installed by npm link', () => {
  it('is on PATH, executable, and prints the CLI package’s version and help', () => {
    execFileSync('npm', ['link', '--offline'], { cwd: projectRoot, env: npmEnv, stdio: 'pipe' });
    const conexus = join(prefix, 'bin', 'conexus');
    const run = (args: string[]) =>
      spawnSync(conexus, args, {
        cwd: tmpdir(),
        encoding: 'utf8',
        env: { ...process.env, CONEXUS_DATA_DIR: join(prefix, 'data') },
      });
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'packages/cli/package.json'), 'utf8'));
    expect(run(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(run(['search', '--help'])).toMatchObject({ status: 0, stdout: /^usage: conexus search QUERY\.\.\./ });
    const refused = run(['repos', '--embedder', 'none']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('conexus: `conexus repos` does not take --embedder (see `conexus repos --help`)\n');
  });

  it('runs from a file git keeps executable, so rebuilding the CLI cannot break the command', () => {
    const entry = execFileSync('git', ['ls-files', '-s', 'packages/cli/bin/conexus.js'], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(entry).toMatch(/^100755 /);
  });
});
