import { ConexusError } from '@conexus/kernel';

/** The one value of a repeatable flag where a command takes it once. */
export function singleFlag(values: readonly string[] | undefined, flag: string): string | undefined {
  if (values && values.length > 1) throw new ConexusError('invalid_argument', `${flag} may be given once here`);
  return values?.[0];
}
