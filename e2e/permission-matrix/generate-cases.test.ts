import { describe, expect, it } from '@jest/globals';
import { expectedRepos, generateCases, MATRIX_SURFACES } from './generate-cases.js';
import { createMatrixWorld } from './matrix-world.js';
import { PATH_VARIANTS, pathVariants } from './path-variants.js';

const world = createMatrixWorld('https://issuer.test');
const cases = generateCases(world);

describe('pathVariants', () => {
  it('spells a nested path every way', () => {
    expect(pathVariants('src/main.ts')).toEqual([
      { variant: 'canonical', path: 'src/main.ts' },
      { variant: 'dot-dot', path: 'src/../src/main.ts' },
      { variant: 'dot-slash', path: './src/main.ts' },
      { variant: 'double-slash', path: 'src//main.ts' },
      { variant: 'percent-slash', path: 'src%2fmain.ts' },
      { variant: 'upper-case', path: 'SRC/MAIN.TS' },
      { variant: 'trailing-slash', path: 'src/main.ts/' },
      { variant: 'leading-slash', path: '/src/main.ts' },
      { variant: 'backslash', path: 'src\\main.ts' },
    ]);
  });

  it('leaves out spellings identical to a one-segment path', () => {
    expect(pathVariants('x.ts').map((spelled) => spelled.variant)).toEqual([
      'canonical',
      'dot-dot',
      'dot-slash',
      'upper-case',
      'trailing-slash',
      'leading-slash',
    ]);
  });
});

describe('generateCases', () => {
  it('yields at least 2,000 cases, deterministically', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    expect(generateCases(world)).toEqual(cases);
  });

  it.each([...MATRIX_SURFACES])('covers %s with both outcomes in reasonable proportion', (surface) => {
    const onSurface = cases.filter((c) => c.surface === surface);
    const readable = onSurface.filter((c) => c.expectReadable).length;
    expect(onSurface.length).toBeGreaterThanOrEqual(300);
    expect(readable / onSurface.length).toBeGreaterThanOrEqual(0.05);
    expect(readable / onSurface.length).toBeLessThanOrEqual(0.5);
  });

  it('keeps every user × repo × surface combination', () => {
    const combinations = new Set(cases.map((c) => `${c.user}|${c.repo}|${c.surface}`));
    expect(combinations.size).toBe(world.users.length * world.repos.length * MATRIX_SURFACES.length);
  });

  it('keeps every file of every repo at its canonical path for every user and surface', () => {
    for (const repo of world.repos) {
      const requested = cases.filter((c) => c.repo === repo.name && c.variant === 'canonical');
      for (const file of repo.files) {
        expect(requested.filter((c) => c.requestedPath === file.path)).toHaveLength(
          world.users.length * MATRIX_SURFACES.length,
        );
      }
    }
  });

  it('covers every path variant, and never expects a non-canonical path to be readable', () => {
    expect(new Set(cases.map((c) => c.variant))).toEqual(new Set(PATH_VARIANTS));
    for (const c of cases) {
      if (c.canonicalPath === null) expect(c.expectReadable).toBe(false);
      if (c.target === null) expect(c.expectReadable).toBe(false);
      expect(c.canonicalPath === null || c.canonicalPath === c.requestedPath).toBe(true);
    }
  });

  it('asks for no path twice in one user × repo × surface', () => {
    const keys = cases.map((c) => `${c.user}|${c.repo}|${c.surface}|${c.requestedPath}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('includes a readable file whose %2f spelling names a different, literal file', () => {
    const literal = cases.find(
      (c) => c.user === 'dave' && c.repo === 'acme-api' && c.requestedPath === 'src%2fserver.ts',
    );
    const real = cases.find((c) => c.user === 'dave' && c.repo === 'acme-api' && c.requestedPath === 'src/server.ts');
    expect(literal?.expectReadable).toBe(false);
    expect(literal?.target?.marker).not.toBe(real?.target?.marker);
    expect(real?.expectReadable).toBe(true);
  });
});

describe('expectedRepos', () => {
  it.each([
    ['alice', ['acme-api', 'acme-web', 'acme-web-legacy']],
    ['bob', []],
    ['carol', ['acme-api', 'acme-web', 'acme-web-legacy']],
    ['frank', ['acme-web', 'acme-web-legacy']],
    ['grace', ['acme-api', 'acme-web']],
    ['heidi', ['globex-core']],
    ['ivan', ['globex-core']],
    ['judy', []],
  ])('lists for %s: %j', (subject, repos) => {
    expect(expectedRepos(world, subject)).toEqual(repos);
  });
});
