// Packages the VS Code extension as packages/vscode/dist/conexus.vsix (run after `npm test` or a build).
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const extension = join(root, 'packages', 'vscode');
// why: vsce wants the license beside the manifest; the project keeps one copy, at the top.
copyFileSync(join(root, 'LICENSE.md'), join(extension, 'LICENSE.md'));
try {
  execFileSync(
    join(root, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--out', join(extension, 'dist', 'conexus.vsix')],
    { cwd: extension, stdio: 'inherit' },
  );
} finally {
  rmSync(join(extension, 'LICENSE.md'), { force: true });
}
