import type { ResultUnit } from '@conexus/engine';
import { ConexusError } from '@conexus/kernel';

/** The --unit flag: chunk (the default), symbol or file. */
export function parseUnit(unit: string | undefined): ResultUnit {
  if (unit === undefined) return 'chunk';
  if (unit === 'chunk' || unit === 'symbol' || unit === 'file') return unit;
  throw new ConexusError('invalid_argument', `--unit must be chunk, symbol or file, not "${unit}"`);
}
