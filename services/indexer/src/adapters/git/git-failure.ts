import { ConexusError } from '@conexus/kernel';

// why: a refused or unreachable host, a missing repository or refused credentials will fail the same way on every
// redelivery; retrying them only hammers the host (and, before the address checks, made a port scanner).
const PERMANENT = [
  /couldn't connect to server|connection refused|no route to host|network is unreachable|failed to connect/i,
  /not found|does not appear to be a git repository|returned error: 4\d\d/i,
  /authentication failed|could not read username|permission denied|host key verification failed/i,
  /couldn't find remote ref|remote branch .* not found/i,
];

/**
 * The error for a git command that exited non-zero: a generic message for callers, git's own output as the cause
 * (for the log only); failed_precondition when retrying cannot help, unavailable otherwise.
 */
export function gitFailure(command: string, exitCode: number | null, output: string): ConexusError {
  const detail = output.trim().slice(-2_000);
  const code = PERMANENT.some((pattern) => pattern.test(detail)) ? 'failed_precondition' : 'unavailable';
  return new ConexusError(code, 'could not fetch the repository', {
    cause: new Error(`git ${command} exited with ${exitCode ?? 'a signal'}: ${detail}`),
  });
}
