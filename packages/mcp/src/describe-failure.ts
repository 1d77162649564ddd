import { Code, ConnectError } from '@connectrpc/connect';
import { showLine } from './render-text.js';

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

// why: @conexus/kernel's ConexusError codes, mapped onto the Connect codes they travel as; recognised by name and
// code, since the gateway client throws ConnectError and this package does not depend on the kernel.
const CONEXUS_CODES: Readonly<Record<string, Code>> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  failed_precondition: Code.FailedPrecondition,
  incompatible_store: Code.FailedPrecondition,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  cancelled: Code.Canceled,
  resource_exhausted: Code.ResourceExhausted,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
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
  const said = showLine(trimmed.startsWith(`${failure.label}: `) ? trimmed.slice(failure.label.length + 2) : trimmed);
  const hint = failure.hint ? ` (${failure.hint})` : '';
  return `${failure.label}${said ? `: ${said}` : ''}${hint}`;
}

function classify(reason: unknown): { code: Code | undefined; detail: string } {
  if (reason instanceof ConnectError) return { code: reason.code, detail: reason.rawMessage };
  if (reason instanceof Error && reason.name === 'ConexusError') {
    const code = (reason as Error & { code?: unknown }).code;
    if (typeof code === 'string') return { code: CONEXUS_CODES[code], detail: reason.message };
  }
  return { code: undefined, detail: '' };
}
