import { matrixPrincipal, type MatrixRepo, type MatrixUser, type MatrixWorld } from './matrix-world.js';
import { PATH_VARIANTS, pathVariants, type PathVariant } from './path-variants.js';
import { isCanonicalPath, referenceReadable } from './reference-access.js';

/** A public surface through which file contents can reach a caller, or (`explain`) the policy's own account of a decision. */
export type MatrixSurface =
  'search' | 'get_file' | 'find_symbol' | 'list_repos' | 'mcp_read_file' | 'mcp_search' | 'explain';

/** Every surface the matrix covers. */
export const MATRIX_SURFACES: readonly MatrixSurface[] = [
  'search',
  'get_file',
  'find_symbol',
  'list_repos',
  'mcp_read_file',
  'mcp_search',
  'explain',
];

/** The world file a requested path names literally, with what reveals it in results. */
export interface MatrixTarget {
  readonly path: string;
  readonly marker: string;
  readonly symbol: string | null;
}

/** One expectation: whether `user` may read `requestedPath` of `repo` through `surface`. */
export interface MatrixCase {
  /** The user's subject (unique in the world). */
  readonly user: string;
  readonly repo: string;
  readonly surface: MatrixSurface;
  readonly variant: PathVariant;
  /** The world path the requested spelling was derived from. */
  readonly sourcePath: string;
  readonly requestedPath: string;
  /** The requested path when it is canonical, else null. */
  readonly canonicalPath: string | null;
  /** The file of `repo` literally at `requestedPath`, or null when none exists there. */
  readonly target: MatrixTarget | null;
  readonly expectReadable: boolean;
}

interface Candidate {
  readonly variant: PathVariant;
  readonly sourcePath: string;
  readonly requestedPath: string;
}

// why: how many canonical paths absent from a repository, and how many spellings per non-canonical kind
// and source outcome, each user × repo × surface keeps; every canonical path present is always kept.
const ABSENT_PER_COMBINATION = 1;
const PER_VARIANT_AND_OUTCOME = 1;

/** FNV-1a, so the sample is deterministic yet spread over paths. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value;
}

/** Every spelling of every world path, canonical spellings first; a spelling already seen is dropped. */
function candidatesFor(worldPaths: readonly string[]): Candidate[] {
  const all = [
    ...worldPaths.map((path) => ({ variant: 'canonical' as const, sourcePath: path, requestedPath: path })),
    ...worldPaths.flatMap((path) =>
      pathVariants(path)
        .filter((spelled) => spelled.variant !== 'canonical')
        .map((spelled) => ({ variant: spelled.variant, sourcePath: path, requestedPath: spelled.path })),
    ),
  ];
  const byPath = new Map<string, Candidate>();
  for (const candidate of all) if (!byPath.has(candidate.requestedPath)) byPath.set(candidate.requestedPath, candidate);
  return [...byPath.values()];
}

function sample(
  candidates: readonly Candidate[],
  seed: string,
  keep: (candidate: Candidate) => boolean,
  count: number,
): Candidate[] {
  return candidates
    .filter(keep)
    .map((candidate) => ({ candidate, order: hash(`${seed}|${candidate.variant}|${candidate.requestedPath}`) }))
    .sort((a, b) => a.order - b.order || (a.candidate.requestedPath < b.candidate.requestedPath ? -1 : 1))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

function selectFor(
  candidates: readonly Candidate[],
  repo: MatrixRepo,
  readable: (path: string) => boolean,
  seed: string,
): Candidate[] {
  const exists = (path: string): boolean => repo.files.some((file) => file.path === path);
  const chosen = [
    ...candidates.filter((c) => c.variant === 'canonical' && exists(c.requestedPath)),
    ...sample(candidates, seed, (c) => c.variant === 'canonical' && !exists(c.requestedPath), ABSENT_PER_COMBINATION),
  ];
  for (const variant of PATH_VARIANTS.filter((kind) => kind !== 'canonical')) {
    for (const sourceReadable of [true, false]) {
      const keep = (c: Candidate): boolean => c.variant === variant && readable(c.sourcePath) === sourceReadable;
      chosen.push(...sample(candidates, seed, keep, PER_VARIANT_AND_OUTCOME));
    }
  }
  return chosen;
}

/**
 * The permission matrix: users × repos × surfaces, each with every file of the repo at its canonical path,
 * a few canonical paths absent from it, and non-canonical spellings (one per kind whose source file the
 * user may read, one per kind whose source file they may not), sampled deterministically.
 */
export function generateCases(world: MatrixWorld): MatrixCase[] {
  const worldPaths = [...new Set(world.repos.flatMap((repo) => repo.files.map((file) => file.path)))].sort();
  const candidates = candidatesFor(worldPaths);
  const cases: MatrixCase[] = [];
  for (const user of world.users) {
    const principal = matrixPrincipal(world, user);
    for (const repo of world.repos) {
      const fileAt = (path: string) => repo.files.find((file) => file.path === path) ?? null;
      const readable = (path: string): boolean =>
        fileAt(path) !== null && referenceReadable(principal, world.memberships, world.rules, repo.name, path);
      for (const surface of MATRIX_SURFACES) {
        for (const chosen of selectFor(candidates, repo, readable, `${surface}|${user.subject}|${repo.name}`)) {
          const file = fileAt(chosen.requestedPath);
          const canonical = isCanonicalPath(chosen.requestedPath);
          cases.push({
            user: user.subject,
            repo: repo.name,
            surface,
            variant: chosen.variant,
            sourcePath: chosen.sourcePath,
            requestedPath: chosen.requestedPath,
            canonicalPath: canonical ? chosen.requestedPath : null,
            target: file && { path: file.path, marker: file.marker, symbol: file.symbol },
            expectReadable: canonical && file !== null && readable(chosen.requestedPath),
          });
        }
      }
    }
  }
  return cases;
}

/** The world user with this subject. */
export function matrixUser(world: MatrixWorld, subject: string): MatrixUser {
  const user = world.users.find((candidate) => candidate.subject === subject);
  if (!user) throw new Error(`the matrix world has no user ${subject}`);
  return user;
}

/** The repositories (sorted) in which the user may read at least one file: what list_repos should show them. */
export function expectedRepos(world: MatrixWorld, subject: string): string[] {
  const principal = matrixPrincipal(world, matrixUser(world, subject));
  return world.repos
    .filter((repo) =>
      repo.files.some((file) => referenceReadable(principal, world.memberships, world.rules, repo.name, file.path)),
    )
    .map((repo) => repo.name)
    .sort();
}
