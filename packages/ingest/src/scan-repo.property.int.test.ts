import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { scanRepo } from './scan-repo.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));
const outside = join(scratch, 'outside');
mkdirSync(outside);
writeFileSync(join(outside, 'secret.txt'), 'top secret\n');

const name = fc.stringMatching(/^[a-z0-9_ .-]{1,8}$/).filter((value) => value.trim() === value && !/^\.+$/.test(value));
const entry = fc.record({
  dirs: fc.array(name, { maxLength: 3 }),
  file: name,
  link: fc.constantFrom('none', 'outside-file', 'outside-dir', 'parent', 'root'),
});

let trial = 0;

describe('scanRepo path safety', () => {
  it('never yields a file whose real location is outside the root, whatever the tree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 12 }), async (entries) => {
        const root = join(scratch, `root-${(trial += 1)}`);
        mkdirSync(root);
        for (const { dirs, file, link } of entries) {
          const dir = join(root, ...dirs);
          const target = join(dir, file);
          try {
            mkdirSync(dir, { recursive: true });
            if (link === 'none') writeFileSync(target, 'x = 1\n');
            else if (link === 'outside-file') symlinkSync(join(outside, 'secret.txt'), target);
            else if (link === 'outside-dir') symlinkSync(outside, target);
            else if (link === 'parent') symlinkSync('..', target);
            else symlinkSync(root, target);
          } catch {
            // A name can collide with an earlier entry (a file where a directory goes); the tree stays hostile.
          }
        }
        const realRoot = realpathSync(root);
        const scan = await scanRepo(root, { maxFileBytes: 1024 });
        for await (const found of scan.entries) {
          if (found.kind !== 'file') continue;
          expect(realpathSync(join(realRoot, found.path)).startsWith(realRoot + sep)).toBe(true);
          expect(found.text).not.toContain('top secret');
        }
      }),
      { numRuns: 40 },
    );
  });
});
