/** Why a file was not indexed; every skip is recorded with one of these. */
export type SkipReason =
  | 'ignored'
  | 'vendored'
  | 'lockfile'
  | 'too_large'
  | 'binary'
  | 'minified'
  | 'generated'
  | 'symlink'
  | 'outside_root'
  | 'vanished'
  | 'unreadable'
  | 'secret_in_path';

/** Every skip reason, in report order. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'ignored',
  'vendored',
  'lockfile',
  'too_large',
  'binary',
  'minified',
  'generated',
  'symlink',
  'outside_root',
  'vanished',
  'unreadable',
  'secret_in_path',
];
