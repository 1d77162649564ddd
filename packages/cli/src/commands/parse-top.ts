import { ConexusError } from '@conexus/kernel';

/** The --top flag: how many results, 1 to 1000 (default 10). */
export function parseTop(top: string | undefined): number {
  if (top === undefined) return 10;
  const value = Number(top);
  if (!Number.isInteger(value) || value < 1 || value > 1000)
    throw new ConexusError('invalid_argument', '--top must be an integer from 1 to 1000');
  return value;
}
