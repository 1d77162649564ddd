import type { ErrorCode } from '@conexus/kernel';

// why: scripts branch on these, so they are part of the CLI's interface: documented in the README's CLI
// reference and `conexus policy --help`, and never renumbered. 2 stays every user error, as it always was;
// the others follow sysexits.h (EX_NOUSER, EX_UNAVAILABLE, EX_SOFTWARE, EX_NOPERM).
const EXIT_CODES: Record<ErrorCode, number> = {
  invalid_argument: 2,
  not_found: 2,
  failed_precondition: 2,
  incompatible_store: 2,
  cancelled: 2,
  unauthenticated: 67,
  unavailable: 69,
  deadline_exceeded: 69,
  resource_exhausted: 69,
  internal: 70,
  permission_denied: 77,
};

/** The process exit code for a typed error. */
export function exitCodeOf(code: ErrorCode): number {
  return EXIT_CODES[code];
}
