import { expect, it } from '@jest/globals';
import { Code, ConnectError } from '@connectrpc/connect';
import { ConexusError } from '@conexus/kernel';
import { exitCodeOf } from './exit-code.js';
import { fromConnectError } from './from-connect-error.js';

const target = { url: 'http://gw:7420', hasToken: true };
const translate = (code: Code, message = 'why') => fromConnectError(new ConnectError(message, code), target);

it('maps each Connect code to the kernel code, with a message that says what to do', () => {
  expect(translate(Code.Unauthenticated, 'expired')).toMatchObject({
    code: 'unauthenticated',
    message: 'the gateway at http://gw:7420 rejected the token in CONEXUS_TOKEN: expired',
  });
  expect(
    fromConnectError(new ConnectError('no token', Code.Unauthenticated), { ...target, hasToken: false }).message,
  ).toContain('set CONEXUS_TOKEN');
  expect(translate(Code.PermissionDenied, 'needs admin')).toMatchObject({
    code: 'permission_denied',
    message: 'permission denied: needs admin',
  });
  expect(translate(Code.InvalidArgument, 'bad glob')).toMatchObject({ code: 'invalid_argument', message: 'bad glob' });
  expect(translate(Code.NotFound)).toMatchObject({ code: 'not_found' });
  expect(translate(Code.FailedPrecondition)).toMatchObject({ code: 'failed_precondition' });
  expect(translate(Code.Unavailable, 'ECONNREFUSED')).toMatchObject({
    code: 'unavailable',
    message: 'the gateway at http://gw:7420 is unavailable: ECONNREFUSED',
  });
  expect(translate(Code.DeadlineExceeded)).toMatchObject({ code: 'deadline_exceeded' });
  expect(translate(Code.Unimplemented)).toMatchObject({
    code: 'failed_precondition',
    message: expect.stringContaining('does not serve the Conexus admin API'),
  });
  expect(translate(Code.Internal)).toMatchObject({ code: 'internal' });
});

it('keeps typed errors and wraps anything else as internal', () => {
  const typed = new ConexusError('not_found', 'no rule');
  expect(fromConnectError(typed, target)).toBe(typed);
  expect(fromConnectError(new Error('boom'), target)).toMatchObject({ code: 'internal', message: 'boom' });
});

it('gives auth, permission and availability failures exit codes of their own, and keeps 2 for user errors', () => {
  const codes = (['unauthenticated', 'permission_denied', 'unavailable', 'internal'] as const).map(exitCodeOf);
  expect(codes).toEqual([67, 77, 69, 70]);
  expect(
    (['invalid_argument', 'not_found', 'failed_precondition', 'incompatible_store'] as const).map(exitCodeOf),
  ).toEqual([2, 2, 2, 2]);
});
