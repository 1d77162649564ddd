import { Code, ConnectError } from '@connectrpc/connect';
import { CONNECT_CODES } from '@conexus/client';
import { ConexusError, showControls } from '@conexus/kernel';

/** What a tool says when its call failed, by failure: the words the model reads, and a hint on what to do. */
const CONNECT_FAILURES: Partial<Record<Code, { readonly label: string; readonly hint?: string }>> = {
  [Code.InvalidArgument]: { label: 'invalid argument' },
  [Code.OutOfRange]: { label: 'invalid argument' },
  [Code.NotFound]: { label: 'not found' },
  [Code.AlreadyExists]: { label: 'failed precondition' },
  [Code.FailedPrecondition]: { label: 'failed precondition' },
  [Code.PermissionDenied]: { label: 'permission denied' },
  [Code.Unauthenticated]: { label: 'unauthenticated', hint: 'the Conexus gateway needs valid credentials' },
  [Code.Unavailable]: { label: 'unavailable', hint: 'try again shortly' },
  [Code.DeadlineExceeded]: { label: 'deadline exceeded', hint: 'try again, or narrow the request' },
  [Code.ResourceExhausted]: { label: 'resource exhausted', hint: 'try again later, or ask for less' },
  [Code.Canceled]: { label: 'cancelled' },
};

/**
 * The one-line message a failed tool call answers: `not found: …`, `permission denied: …` and so on for expected
 * failures, and a bare `internal error` for anything else, whose details stay on the server.
 */
export function describeFailure(reason: unknown): string {
  const { code, detail } = classify(reason);
  const failure = code === undefined ? undefined : CONNECT_FAILURES[code];
  if (!failure) return 'internal error';
  const trimmed = detail.trim();
  // why: a gateway message may already open with the words ("permission denied: …"); they are said once.
  const said = showControls(
    trimmed.startsWith(`${failure.label}: `) ? trimmed.slice(failure.label.length + 2) : trimmed,
  );
  const hint = failure.hint ? ` (${failure.hint})` : '';
  return `${failure.label}${said ? `: ${said}` : ''}${hint}`;
}

function classify(reason: unknown): { code: Code | undefined; detail: string } {
  if (reason instanceof ConnectError) return { code: reason.code, detail: reason.rawMessage };
  if (reason instanceof ConexusError) return { code: CONNECT_CODES[reason.code], detail: reason.message };
  return { code: undefined, detail: '' };
}
