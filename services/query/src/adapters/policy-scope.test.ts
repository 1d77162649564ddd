import { afterEach, describe, expect, it } from '@jest/globals';
import { create, toBinary } from '@bufbuild/protobuf';
import { ScopeSchema } from '@conexus/api';
import { createInProcessBus, type Bus } from '@conexus/bus';
import { LOCAL_USER } from '@conexus/access';
import { policySubject } from '@conexus/wire';
import { createPolicyScope } from './policy-scope.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let bus: Bus;
afterEach(async () => bus?.close());

describe('the policy scope', () => {
  it("asks the policy service, and gives up at the caller's deadline when it is slow", async () => {
    bus = createInProcessBus();
    let delayMs = 0;
    bus.respond(policySubject('scope'), async () => {
      await sleep(delayMs);
      return toBinary(ScopeSchema, create(ScopeSchema, { everything: true }));
    });
    const scope = createPolicyScope(bus);
    await expect(scope.scopeFor(LOCAL_USER, Date.now() + 1_000)).resolves.toMatchObject({ everything: true });
    delayMs = 1_500;
    const started = Date.now();
    await expect(scope.scopeFor(LOCAL_USER, started + 150)).rejects.toMatchObject({ code: 'deadline_exceeded' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(scope.scopeFor(LOCAL_USER, Date.now() - 1)).rejects.toMatchObject({ code: 'deadline_exceeded' });
  });
});
