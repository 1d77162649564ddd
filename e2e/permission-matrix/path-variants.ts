/** How a requested path was derived from a world path. */
export type PathVariant =
  | 'canonical'
  | 'dot-dot'
  | 'dot-slash'
  | 'double-slash'
  | 'percent-slash'
  | 'upper-case'
  | 'trailing-slash'
  | 'leading-slash'
  | 'backslash';

/** Every variant kind, `canonical` first. */
export const PATH_VARIANTS: readonly PathVariant[] = [
  'canonical',
  'dot-dot',
  'dot-slash',
  'double-slash',
  'percent-slash',
  'upper-case',
  'trailing-slash',
  'leading-slash',
  'backslash',
];

/** One spelling of a path to request. */
export interface VariantPath {
  readonly variant: PathVariant;
  readonly path: string;
}

function spell(variant: PathVariant, path: string): string {
  const first = path.split('/')[0]!;
  switch (variant) {
    case 'canonical':
      return path;
    case 'dot-dot':
      return `${first}/../${path}`;
    case 'dot-slash':
      return `./${path}`;
    case 'double-slash':
      return path.includes('/') ? path.replace('/', '//') : path;
    case 'percent-slash':
      return path.split('/').join('%2f');
    case 'upper-case':
      return path.toUpperCase();
    case 'trailing-slash':
      return `${path}/`;
    case 'leading-slash':
      return `/${path}`;
    case 'backslash':
      return path.split('/').join('\\');
  }
}

/** The spellings of a canonical path, one per variant kind, leaving out those identical to the path itself. */
export function pathVariants(path: string): VariantPath[] {
  return PATH_VARIANTS.map((variant) => ({ variant, path: spell(variant, path) })).filter(
    (spelled) => spelled.variant === 'canonical' || spelled.path !== path,
  );
}
