import { describe, expect, it } from '@jest/globals';
import { ConexusError } from '@conexus/kernel';
import { abortFailure } from './abort-failure.js';

const abortedWith = (reason?: unknown): AbortSignal => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};

describe('abortFailure', () => {
  it('says deadline_exceeded when the signal aborted because time ran out', async () => {
    // why: what Connect's handler signal aborts with when the call's deadline passes (ConnectError, gRPC code 4).
    const connectDeadline = Object.assign(new Error('[deadline_exceeded] the operation timed out'), {
      name: 'ConnectError',
      code: 4,
    });
    const timeout = AbortSignal.timeout(1);
    await new Promise((resolve) => timeout.addEventListener('abort', resolve));
    for (const signal of [
      abortedWith(connectDeadline),
      timeout,
      abortedWith(new ConexusError('deadline_exceeded', 'late')),
    ]) {
      expect(abortFailure('svc.x', signal)).toMatchObject({ code: 'deadline_exceeded' });
    }
  });

  it('says cancelled when the caller gave up, and keeps a typed reason', () => {
    const connectCancel = Object.assign(new Error('[canceled] the client hung up'), { name: 'ConnectError', code: 1 });
    for (const signal of [abortedWith(), abortedWith(connectCancel), abortedWith('bye')]) {
      expect(abortFailure('svc.x', signal)).toMatchObject({ code: 'cancelled' });
    }
    expect(abortFailure('svc.x', abortedWith(new ConexusError('unavailable', 'shutting down')))).toMatchObject({
      code: 'unavailable',
    });
  });
});
