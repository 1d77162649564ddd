import type { RepoSource } from '@conexus/api';
import type { GitUrl } from '../domain/parse-git-url.js';

/** A source that passed every check that needs no network: a real directory under the roots, or a git URL and ref. */
export type CheckedSource =
  | { readonly kind: 'path'; readonly directory: string }
  | { readonly kind: 'git'; readonly url: GitUrl; readonly ref: string };

/** How an index job reaches its sources under the source policy; the fs and git adapters implement it. */
export interface SourceAccess {
  /** Where clones go, one directory per repository. */
  readonly checkoutsDir: string;
  /** Checks a requested source: a real directory under the roots, or a git URL and ref that may be fetched. */
  readonly check: (source: RepoSource) => CheckedSource;
  /** The real path of a server-side directory the roots still allow. */
  readonly allowedDirectory: (path: string) => string;
  /** Clones or fetches a checked git URL into the checkout; resolves with the checkout. */
  readonly fetch: (url: GitUrl, ref: string, checkout: string, progress: () => void) => Promise<string>;
  /** The URL a checkout was cloned from. */
  readonly origin: (checkout: string) => Promise<string>;
}
