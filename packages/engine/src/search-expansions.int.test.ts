import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createChunker } from '@conexus/chunking';
import { createEngine } from './create-engine.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-expand-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

const steps = Array.from(
  { length: 120 },
  (_, step) => `    ledger.post(step_${step}, amount * ${step})  # posting step ${step}`,
).join('\n');
const RECONCILE = `def reconcile_quarter(ledger, amount):\n    """Quarterly reconciliation of the ledger."""\n${steps}\n    return ledger\n\n\ndef small(): return 1\n`;

describe('search with expansions', () => {
  it('returns the whole of a symbol split into several chunks, and nothing for a symbol in one chunk', async () => {
    const repo = join(scratch, 'shop');
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, 'reconcile.py'), RECONCILE);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', '-A'], { cwd: repo });
    execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
    const engine = createEngine({ dataDir: join(scratch, 'data'), chunker: await createChunker() });
    await engine.index(repo, 'shop');

    const plain = await engine.search({ query: 'posting step 60 quarterly reconciliation', top: 3 });
    expect(plain.results.every((result) => result.expansion === undefined)).toBe(true);
    const { results } = await engine.search({
      query: 'posting step 60 quarterly reconciliation',
      top: 3,
      expand: true,
    });
    const part = results.find((result) => result.symbol === 'reconcile_quarter')!;
    expect(part.endLine - part.startLine).toBeLessThan(RECONCILE.split('\n').length - 5);
    expect(part.expansion).toEqual({
      startLine: 1,
      endLine: 123,
      text: RECONCILE.split('\n').slice(0, 123).join('\n') + '\n',
    });
    expect(part.expansion).toEqual(engine.symbolSpan('shop', 'reconcile.py', 'reconcile_quarter', part.startLine));
    const small = await engine.search({ query: 'small', top: 10, expand: true, unit: 'symbol' });
    expect(small.results.find((result) => result.symbol === 'small')).toMatchObject({ symbol: 'small' });
    expect(small.results.find((result) => result.symbol === 'small')!.expansion).toBeUndefined();
    await engine.close();
  });
});
