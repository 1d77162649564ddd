import { describe, expect, it } from '@jest/globals';
import { createMatrixWorld, matrixPrincipal, matrixTokenClaims } from './matrix-world.js';
import { referenceReadable } from './reference-access.js';

const world = createMatrixWorld('https://issuer.test');

// What each user may read, written by hand from the world's intent (see each user's note).
const READS: Record<string, Record<string, string[]>> = {
  alice: {
    'acme-web': [
      'README.md',
      'src/main.ts',
      'src/util/strings.ts',
      'src/secret-notes.ts',
      'Src/main.ts',
      'src%2fmain.ts',
      'docs/guide.md',
      'lib/a/b/c/d/deep.ts',
      'test/main.test.ts',
    ],
    'acme-web-legacy': ['docs/guide.md'],
    'acme-api': ['docs/api.md'],
  },
  bob: {},
  carol: {
    'acme-web': world.repos.find((repo) => repo.name === 'acme-web')!.files.map((file) => file.path),
    'acme-web-legacy': world.repos.find((repo) => repo.name === 'acme-web-legacy')!.files.map((file) => file.path),
    'acme-api': [
      'README.md',
      'x.ts',
      'src/server.ts',
      'src/routes/users.ts',
      'src%2fserver.ts',
      'src%2fsecret%2fdb-password.ts',
      'Src/server.ts',
      'docs/api.md',
      'docs/internal/runbook.md',
    ],
  },
  dave: {
    'acme-web': ['docs/guide.md'],
    'acme-web-legacy': ['docs/guide.md'],
    'acme-api': ['README.md', 'src/server.ts', 'src/routes/users.ts', 'docs/api.md'],
  },
  erin: {
    'acme-web': ['docs/guide.md'],
    'acme-web-legacy': ['docs/guide.md'],
    'acme-api': [
      'README.md',
      'src/server.ts',
      'src/routes/users.ts',
      'src/secret/db-password.ts',
      'src/secret/keys.ts',
      'docs/api.md',
    ],
  },
  frank: { 'acme-web': ['Src/main.ts'], 'acme-web-legacy': ['src/main.ts'] },
  grace: {
    'acme-web': ['README.md', 'docs/guide.md', 'docs/internal/plan.md'],
    'acme-api': ['README.md', 'docs/api.md', 'docs/internal/runbook.md'],
  },
  peggy: {
    'acme-web': ['docs/guide.md'],
    'acme-web-legacy': ['docs/guide.md'],
    'acme-api': [
      'README.md',
      'src/server.ts',
      'src/routes/users.ts',
      'src/secret/db-password.ts',
      'src/secret/keys.ts',
      'docs/api.md',
    ],
  },
  heidi: { 'globex-core': ['src/main.ts', 'src/core/engine.ts'] },
  ivan: {
    'globex-core': [
      'README.md',
      'src/main.ts',
      'src/core/engine.ts',
      'src%2fsecret%2fkeys.ts',
      'Src/main.ts',
      'docs/guide.md',
      'docs/internal/plan.md',
      'pkg/lib/a/b/x.ts',
    ],
  },
  judy: {},
};

describe('the matrix world', () => {
  it('gives every file a marker and symbol found in that file only', () => {
    const files = world.repos.flatMap((repo) => repo.files);
    for (const file of files) {
      const holders = files.filter((other) => other.content.includes(file.marker));
      expect(holders).toEqual([file]);
      expect(file.marker).toMatch(/^[a-z]+$/);
      if (file.symbol !== null) expect(files.filter((other) => other.content.includes(file.symbol!))).toEqual([file]);
    }
    expect(new Set(files.map((file) => file.marker)).size).toBe(files.length);
  });

  it('has case twins, literal %2f names and deep paths in every repository', () => {
    for (const repo of world.repos) {
      const paths = repo.files.map((file) => file.path);
      expect(paths.some((path) => path.startsWith('Src/'))).toBe(true);
      expect(paths.some((path) => path.includes('%2f'))).toBe(true);
      expect(paths.some((path) => path.split('/').length >= 4)).toBe(true);
      expect(repo.files.length).toBeGreaterThanOrEqual(8);
    }
  });

  it.each(world.users.map((user) => [user.subject, user] as const))(
    'lets %s read exactly the intended files',
    (subject, user) => {
      const principal = matrixPrincipal(world, user);
      for (const repo of world.repos) {
        const readable = repo.files
          .filter((file) => referenceReadable(principal, world.memberships, world.rules, repo.name, file.path))
          .map((file) => file.path);
        expect(readable.sort()).toEqual([...(READS[subject]![repo.name] ?? [])].sort());
      }
    },
  );

  it('binds user rules to the issuer it was created with', () => {
    expect(
      createMatrixWorld('https://other.test').rules.some((rule) => rule.subject === 'user:https://other.test#frank'),
    ).toBe(true);
    expect(world.rules.some((rule) => rule.subject === 'user:https://issuer.test#frank')).toBe(true);
  });

  it('exports token claims without an issuer', () => {
    const claims = matrixTokenClaims(world);
    expect(claims).toHaveLength(world.users.length);
    expect(claims[0]).toEqual({ subject: 'alice', tenant: 'acme', groups: ['eng'], roles: [] });
  });
});
