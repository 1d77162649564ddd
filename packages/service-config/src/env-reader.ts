import { ConexusError } from '@conexus/kernel';

/** Reads typed settings from environment variables, collecting every bad value before failing once. */
export interface EnvReader {
  string(name: string, fallback?: string): string;
  integer(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  /** A comma-separated list; empty entries are dropped. */
  list(name: string, fallback: readonly string[]): string[];
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T;
  /** Records a problem that spans variables when the condition fails. */
  check(condition: boolean, problem: string): void;
  /** Freezes the parsed settings, or throws one error naming every bad variable. */
  finish<T extends object>(config: T): Readonly<T>;
}

/** Starts reading a configuration from an environment. */
export function readEnv(env: NodeJS.ProcessEnv): EnvReader {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  return {
    string(name, fallback) {
      const value = raw(name) ?? fallback;
      if (value === undefined) problems.push(`${name} is required`);
      return value ?? '';
    },
    integer(name, fallback, range = {}) {
      const text = raw(name);
      if (text === undefined) return fallback;
      const value = Number(text);
      if (
        !Number.isInteger(value) ||
        (range.min !== undefined && value < range.min) ||
        (range.max !== undefined && value > range.max)
      ) {
        problems.push(
          `${name} must be an integer${range.min !== undefined ? ` ≥ ${range.min}` : ''}${range.max !== undefined ? ` ≤ ${range.max}` : ''}, got "${text}"`,
        );
        return fallback;
      }
      return value;
    },
    list(name, fallback) {
      const text = raw(name);
      return text === undefined
        ? [...fallback]
        : text
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean);
    },
    oneOf(name, allowed, fallback) {
      const value = raw(name) ?? fallback;
      if (value === undefined || !(allowed as readonly string[]).includes(value)) {
        problems.push(`${name} must be one of ${allowed.join(', ')}${value === undefined ? '' : `, got "${value}"`}`);
        return (fallback ?? allowed[0]) as (typeof allowed)[number];
      }
      return value as (typeof allowed)[number];
    },
    check(condition, problem) {
      if (!condition) problems.push(problem);
    },
    finish(config) {
      if (problems.length > 0) throw new ConexusError('invalid_argument', `bad configuration: ${problems.join('; ')}`);
      return Object.freeze({ ...config });
    },
  };
}
